import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createConnection } from "node:net";
import { resolve } from "node:path";
import { StartupError } from "../errors.ts";
import { PACKED_HASH_VALUE_BYTES } from "./check-redis-memory.ts";
import { DEFAULT_REDIS_URL } from "./create-redis.ts";

export interface LocalRedis {
  url: string;
  /** Present when this process started a private redis-server; stop it on shutdown. */
  child?: ChildProcess;
}

/**
 * The first-run path: with no REDIS_URL and nothing on 127.0.0.1:6379, start a private
 * redis-server (AOF on, files under DATA_DIR/redis) rather than fail. With REDIS_URL set, the
 * operator chose a Redis and it is used as given.
 */
export async function ensureLocalRedis(
  configuredUrl: string | undefined,
  dataDir: string,
  local: { port: number; binary: string } = { port: 6379, binary: "redis-server" },
): Promise<LocalRedis> {
  if (configuredUrl) return { url: configuredUrl };
  const url = local.port === 6379 ? DEFAULT_REDIS_URL : `redis://127.0.0.1:${local.port}`;
  if (await answers("127.0.0.1", local.port)) return { url };
  if (spawnSync(local.binary, ["--version"]).status !== 0) {
    throw new StartupError(
      "redis_unreachable",
      `REDIS_URL is not set and nothing answers on 127.0.0.1:${local.port}. Start Redis (apt-get install redis-server, ` +
        "brew install redis, or docker compose up redis) or set REDIS_URL=redis://host:6379.",
    );
  }
  const dir = resolve(dataDir, "redis");
  mkdirSync(dir, { recursive: true });
  // Hashes packed up to PACKED_HASH_VALUE_BYTES (the Redis 6 name, an alias in Redis 7).
  const child = spawn(
    local.binary,
    [
      "--port",
      String(local.port),
      "--bind",
      "127.0.0.1",
      "--dir",
      dir,
      "--appendonly",
      "yes",
      "--save",
      "",
      "--maxmemory-policy",
      "noeviction",
      "--hash-max-ziplist-value",
      String(PACKED_HASH_VALUE_BYTES),
    ],
    { stdio: "ignore" },
  );
  for (let attempt = 0; attempt < 50; attempt++) {
    if (await answers("127.0.0.1", local.port)) return { url, child };
    await new Promise((done) => setTimeout(done, 100));
  }
  child.kill();
  throw new StartupError(
    "redis_unreachable",
    `started redis-server but it did not answer on 127.0.0.1:${local.port} within 5 s`,
  );
}

function answers(host: string, port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({ host, port, timeout: 500 });
    socket.once("connect", () => {
      socket.destroy();
      done(true);
    });
    socket.once("error", () => done(false));
    socket.once("timeout", () => {
      socket.destroy();
      done(false);
    });
  });
}
