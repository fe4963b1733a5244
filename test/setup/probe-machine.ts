import { accessSync, constants, existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { delimiter, join } from "node:path";
import { Redis } from "ioredis";
import pg from "pg";
import type { MachineFacts, ServiceState } from "./plan-test-setup.ts";

export const DEFAULT_TEST_REDIS_URL = "redis://127.0.0.1:6379";
export const DEFAULT_TEST_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/test";

/** Finds out what planTestSetup decides on: services at the tests' addresses, programs on PATH, who runs this. */
export async function probeMachine(env: NodeJS.ProcessEnv): Promise<MachineFacts> {
  const path = env.PATH ?? "";
  const redisUrl = env.TEST_REDIS_URL || DEFAULT_TEST_REDIS_URL;
  const postgresUrl = env.TEST_DATABASE_URL || DEFAULT_TEST_DATABASE_URL;
  const [redis, postgres] = await Promise.all([probeRedis(redisUrl), probePostgres(postgresUrl)]);
  const chromiumPath = env.CHROMIUM_PATH
    ? { path: env.CHROMIUM_PATH, executable: isExecutableFile(env.CHROMIUM_PATH) }
    : undefined;
  const chromiumOnPath = findChromium(path);
  const redisServer = findOnPath("redis-server", path);
  const postgresBin = findPostgresBin(path);
  return {
    redis: {
      url: redisUrl,
      configured: Boolean(env.TEST_REDIS_URL),
      port: Number(new URL(redisUrl).port || 6379),
      ...redis,
    },
    postgres: { url: postgresUrl, configured: Boolean(env.TEST_DATABASE_URL), ...postgres },
    ...(redisServer ? { redisServer } : {}),
    ...(postgresBin ? { postgresBin } : {}),
    ...(chromiumPath ? { chromiumPath } : {}),
    ...(chromiumOnPath ? { chromiumOnPath } : {}),
    root: process.getuid?.() === 0,
    aptGet: findOnPath("apt-get", path) !== undefined,
    ubuntu: /^ID=ubuntu$/m.test(existsSync("/etc/os-release") ? readFileSync("/etc/os-release", "utf8") : ""),
  };
}

/** A PING without retries: the tests connect the same way, with the URL as given. */
async function probeRedis(url: string): Promise<ServiceState> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 2000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  // connect() rejects with "Connection is closed."; the socket's own error says why.
  let socketError: unknown;
  redis.on("error", (error) => (socketError ??= error));
  try {
    await redis.connect();
    await redis.ping();
    return { state: "ready" };
  } catch (error) {
    return stateOf(socketError ?? error);
  } finally {
    redis.disconnect();
  }
}

/** Connects as the tests will (user, password, database of the URL) and runs `select 1`. */
async function probePostgres(url: string): Promise<ServiceState> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  client.on("error", () => undefined);
  try {
    await client.connect();
    await client.query("select 1");
    return { state: "ready" };
  } catch (error) {
    return stateOf(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

function stateOf(error: unknown): ServiceState {
  const { code, message } = error as { code?: string; message?: string };
  if (code === "ECONNREFUSED" || /ECONNREFUSED/.test(message ?? "")) return { state: "nothing-listens" };
  // One line whatever the driver said: it goes into the one-line refusal.
  return { state: "refuses", why: (message || String(error)).replace(/\s+/g, " ").trim() };
}

export function findOnPath(program: string, path: string): string | undefined {
  return path
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, program))
    .find(isExecutableFile);
}

/** Debian's chromium, else chromium-browser (Ubuntu's name). */
export function findChromium(path: string): string | undefined {
  return findOnPath("chromium", path) ?? findOnPath("chromium-browser", path);
}

/** initdb and postgres side by side: on PATH, else Debian's newest /usr/lib/postgresql/<version>/bin. */
export function findPostgresBin(path: string): string | undefined {
  const initdb = findOnPath("initdb", path);
  if (initdb && findOnPath("postgres", path)) return join(initdb, "..");
  const debian = "/usr/lib/postgresql";
  const versions = existsSync(debian) ? readdirSync(debian).sort((a, b) => Number(b) - Number(a)) : [];
  return versions
    .map((version) => join(debian, version, "bin"))
    .find((bin) => isExecutableFile(join(bin, "initdb")) && isExecutableFile(join(bin, "postgres")));
}

function isExecutableFile(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
