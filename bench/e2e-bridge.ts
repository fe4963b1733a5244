/**
 * The bridge under benchmark: `npm start`'s own command line (package.json), as a child process
 * of the bench, so its memory and its processes can be read from /proc and it can be stopped.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { createTestSchema, usersTableExists, type TestSchema } from "../test/helpers/pg-schema.ts";
import { freePort } from "../test/helpers/private-redis.ts";
import { startTestSmtpServer, type TestSmtpServer } from "../test/helpers/smtp-test-server.ts";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));

export interface BenchBridge {
  child: ChildProcess;
  pid: number;
  url: string;
  alive(): boolean;
  /** The last 20,000 characters it wrote, for the failure message. */
  output(): string;
  /** SIGTERM (the bridge drains), then SIGKILL if it has not ended within `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * `npm start` runs its prestart step (`node scripts/transpile.mjs`) and then `node <args> <script>`:
 * the same here, the prestart once, with the bench's node binary.
 */
export function npmStartArgs(): string[] {
  const pkg = JSON.parse(readFileSync(`${ROOT}/package.json`, "utf8")) as { scripts: Record<string, string> };
  const command = (script: string | undefined) => {
    const [program, ...args] = (script ?? "").split(/\s+/);
    if (program !== "node") throw new Error(`npm start runs "${program}", not node: update bench/e2e-bridge.ts`);
    return args;
  };
  if (pkg.scripts.prestart) {
    const prestart = spawnSync(process.execPath, command(pkg.scripts.prestart), { cwd: ROOT, stdio: "inherit" });
    if (prestart.status !== 0) throw new Error("npm start's prestart step failed");
  }
  return command(pkg.scripts.start);
}

export interface Workload {
  bridge: BenchBridge;
  /** The bridge's PostgreSQL schema (users table), dropped at cleanup. */
  schema: TestSchema;
  /** The SMTP server the bridge's emails reach. */
  sink: TestSmtpServer;
  /** The Clerk webhook secret it verifies with. */
  secret: string;
}

/**
 * The sign-up workload's bridge, as `npm start` runs it, with what it talks to: a fresh PostgreSQL
 * schema, an SMTP sink, a random webhook secret, ONBOARDING_DELAY=1s and warnings-only logs. The
 * bench's environment is passed on (WORKERS=... and the like). Everything is undone by
 * `cleanups` (run last first), and the bridge is killed should the bench die.
 */
export async function startWorkload(
  redisUrl: string,
  prefix: string,
  cleanups: Array<() => Promise<unknown>>,
): Promise<Workload> {
  const schema = await createTestSchema();
  cleanups.push(() => schema.drop());
  const sink = await startTestSmtpServer();
  cleanups.push(() => sink.close());
  const secret = `whsec_${randomBytes(24).toString("base64")}`;
  const port = await freePort();
  const bridge = spawnBridge(
    {
      ...process.env,
      REDIS_URL: redisUrl,
      REDIS_PREFIX: prefix,
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_URL: schema.url,
      SMTP_URL: sink.url,
      ONBOARDING_DELAY: "1s",
      CLERK_WEBHOOK_SECRET: secret,
      LOG_LEVEL: "warn",
    },
    port,
  );
  cleanups.push(() => bridge.stop());
  process.once("exit", () => void (bridge.alive() && bridge.child.kill("SIGKILL")));
  return { bridge, schema, sink, secret };
}

export function spawnBridge(env: NodeJS.ProcessEnv, port: number): BenchBridge {
  // BENCH_CPU_PROF=<dir>: a V8 CPU profile of each bridge process (NODE_OPTIONS refuses --cpu-prof).
  const profile = env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${env.BENCH_CPU_PROF}`] : [];
  const child = spawn(process.execPath, [...profile, ...npmStartArgs()], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (chunk: Buffer) => void (output = (output + chunk.toString()).slice(-20_000));
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    child,
    pid: child.pid!,
    url: `http://127.0.0.1:${port}`,
    alive,
    output: () => output,
    async stop(graceMs = 15_000) {
      if (!alive()) return;
      child.kill("SIGTERM");
      const ended = await Promise.race([exited.then(() => true), sleep(graceMs).then(() => false)]);
      if (!ended) {
        child.kill("SIGKILL");
        await exited;
      }
    },
  };
}

/** Ready to drive: /readyz answers 200 and the workers have created the users table. */
export async function waitForReady(bridge: BenchBridge, databaseUrl: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!bridge.alive()) throw new Error(`the bridge exited at start:\n${bridge.output()}`);
    const ready = await fetch(`${bridge.url}/readyz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready && (await usersTableExists(databaseUrl))) return;
    await sleep(100);
  }
  throw new Error(`the bridge was not ready within ${timeoutMs / 1000} s:\n${bridge.output()}`);
}

/** Events not yet routed, from the bridge's own /metrics (queue depth read from Redis). */
export async function eventsBacklog(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const depth = /^bridge_queue_jobs\{queue="events",state="(?:waiting|active|prioritized|delayed)"\} (\d+)/gm;
  return [...text.matchAll(depth)].reduce((sum, match) => sum + Number(match[1]), 0);
}
