/**
 * A redis-server of the benchmark's own (no persistence), so that INFO commandstats and CPU count
 * only the bench's clients, and a large load (100,000 runs) never weighs on the shared Redis.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "ioredis";

export interface BenchRedis {
  url: string;
  /** A client for INFO, MEMORY and FLUSHALL, outside what is measured. */
  admin: Redis;
  stop(): Promise<void>;
}

/** `settings`: more redis-server arguments (`["--hash-max-listpack-value", "4096"]`). */
export async function startRedisServer(port: number, settings: string[] = []): Promise<BenchRedis> {
  const child: ChildProcess = spawn(
    "redis-server",
    ["--port", String(port), "--save", "", "--appendonly", "no", ...settings],
    { stdio: "ignore" },
  );
  const url = `redis://127.0.0.1:${port}`;
  const admin = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  admin.on("error", () => {}); // refused until the server listens: retried below
  for (let i = 0; i < 50; i++) {
    try {
      await admin.connect();
      break;
    } catch {
      await sleep(100);
    }
  }
  return {
    url,
    admin,
    async stop() {
      admin.disconnect();
      child.kill("SIGTERM");
      if (child.exitCode === null) await once(child, "exit");
    },
  };
}

/** Commands Redis has executed so far, INFO itself left out. */
export async function commandsExecuted(admin: Redis): Promise<number> {
  const info = await admin.info("commandstats");
  let total = 0;
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    if (match[1] !== "info") total += Number(match[2]);
  }
  // BENCH_COMMANDS=1 prints the per-command counts (cumulative since the server started).
  if (process.env.BENCH_COMMANDS) console.log(info.replace(/,usec.*$/gm, ""));
  return total;
}

/** CPU seconds the redis-server has used so far (user + system). */
export async function redisCpu(admin: Redis): Promise<number> {
  const info = await admin.info("cpu");
  const read = (field: string) => Number(new RegExp(`^${field}:([\\d.]+)`, "m").exec(info)?.[1] ?? 0);
  return read("used_cpu_user") + read("used_cpu_sys");
}
