import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chownSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "ioredis";
import pg from "pg";
import { freePort } from "../helpers/private-redis.ts";

/** A server this test run started, on a folder of its own; `stop` ends it and removes the folder. */
export interface StartedService {
  url: string;
  stop(): Promise<void>;
}

/** apt-get as root, quietly, without questions (what .ci/run did on a fresh machine). */
export function installFromApt(packages: string[]): void {
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  for (const args of [
    ["update", "-qq"],
    ["install", "-y", "-qq", ...packages],
  ]) {
    const result = spawnSync("apt-get", args, { env, stdio: ["ignore", "ignore", "inherit"] });
    if (result.status !== 0) throw new Error(`apt-get ${args.join(" ")} failed (exit code ${result.status})`);
  }
}

/** redis-server on `port` of 127.0.0.1, nothing kept on disk (as the machines' own Redis). */
export async function startPrivateRedis(port: number): Promise<StartedService> {
  const dir = mkdtempSync(join(tmpdir(), "cwb-test-redis-"));
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir],
    { stdio: "ignore" },
  );
  const url = `redis://127.0.0.1:${port}`;
  const stop = () => stopChild(child, "SIGTERM").then(() => rmSync(dir, { recursive: true, force: true }));
  const ready = async () => {
    const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    redis.on("error", () => undefined);
    return redis
      .connect()
      .then(() => redis.ping())
      .then(
        () => true,
        () => false,
      )
      .finally(() => redis.disconnect());
  };
  await waitForServer("redis-server", child, ready, stop, () => "");
  return { url, stop };
}

/**
 * A PostgreSQL cluster of this run's own: initdb into a temporary folder (trust authentication,
 * user postgres, database test), served on a free port of 127.0.0.1 with its socket in that folder
 * and without fsync (nothing in it outlives the run). PostgreSQL refuses to run as root: as root,
 * it runs as the postgres user Debian's package creates (nobody where there is none).
 */
export async function startPrivatePostgres(bin: string): Promise<StartedService> {
  const dir = mkdtempSync(join(tmpdir(), "cwb-test-postgres-"));
  const owner = process.getuid?.() === 0 ? unprivilegedUser() : undefined;
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const data = join(dir, "data");
  const asOwner = { cwd: dir, ...(owner ?? {}) };
  const initdb = spawnSync(
    join(bin, "initdb"),
    ["-D", data, "--username=postgres", "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"],
    { ...asOwner, encoding: "utf8" },
  );
  if (initdb.status !== 0) throw new Error(`initdb failed: ${(initdb.stderr || initdb.error?.message || "").trim()}`);
  const port = await freePort();
  const log = join(dir, "postgres.log");
  const logFd = openSync(log, "a");
  if (owner) chownSync(log, owner.uid, owner.gid);
  const settings = [
    "listen_addresses=127.0.0.1",
    `unix_socket_directories=${dir}`,
    "fsync=off",
    "synchronous_commit=off",
    "full_page_writes=off",
    "max_connections=200",
  ];
  const child = spawn(
    join(bin, "postgres"),
    ["-D", data, "-p", String(port), ...settings.flatMap((setting) => ["-c", setting])],
    { ...asOwner, stdio: ["ignore", logFd, logFd] },
  );
  const admin = `postgres://postgres@127.0.0.1:${port}/postgres`;
  // SIGINT is PostgreSQL's fast shutdown: sessions are ended, nothing is waited for.
  const stop = () => stopChild(child, "SIGINT").then(() => rmSync(dir, { recursive: true, force: true }));
  await waitForServer(
    "postgres",
    child,
    () =>
      query(admin, "select 1").then(
        () => true,
        () => false,
      ),
    stop,
    () => readFileSync(log, "utf8"),
  );
  await query(admin, "create database test");
  return { url: `postgres://postgres@127.0.0.1:${port}/test`, stop };
}

function unprivilegedUser(): { uid: number; gid: number } {
  for (const name of ["postgres", "nobody"]) {
    const uid = spawnSync("id", ["-u", name], { encoding: "utf8" });
    const gid = spawnSync("id", ["-g", name], { encoding: "utf8" });
    if (uid.status === 0 && gid.status === 0) return { uid: Number(uid.stdout), gid: Number(gid.stdout) };
  }
  throw new Error("PostgreSQL cannot run as root, and there is neither a postgres nor a nobody user to run it as");
}

async function query(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on("error", () => undefined);
  try {
    await client.connect();
    await client.query(sql);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Polls `ready` for up to 30 s; a server that ends or never answers is stopped and reported with its log. */
async function waitForServer(
  name: string,
  child: ChildProcess,
  ready: () => Promise<boolean>,
  stop: () => Promise<void>,
  log: () => string,
): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt++) {
    if (child.exitCode !== null || child.signalCode !== null) break;
    if (await ready()) return;
    await sleep(100);
  }
  const ended = child.exitCode !== null ? `ended with exit code ${child.exitCode}` : "did not answer within 30 s";
  const output = log().trim();
  await stop();
  throw new Error(`the private ${name} ${ended}${output ? `:\n${output}` : ""}`);
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill(signal);
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}
