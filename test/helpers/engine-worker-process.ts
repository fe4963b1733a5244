/**
 * A worker process for the crash tests: started by test/integration/engine-crash.test.ts and
 * killed with SIGKILL in the middle of a run. Its function counts every step execution in Redis
 * (the side effects the test checks), and its "slow" step gives the test time to kill it.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "ioredis";
import { createFunction } from "../../src/engine/index.ts";
import { startWorkers } from "../../src/engine/start-workers.ts";
import { createLogger } from "../../src/logger.ts";
import { TEST_REDIS_URL } from "./test-redis.ts";

const prefix = process.env.ENGINE_TEST_PREFIX as string;
const slowMs = Number(process.env.ENGINE_SLOW_MS ?? 0);
const redis = new Redis(TEST_REDIS_URL, { enableAutoPipelining: true, maxRetriesPerRequest: 1 });
const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
const count = (name: string) => redis.incr(`{${prefix}}:side-effect:${name}`);

const crashy = createFunction({ id: "crashy", triggers: [{ event: "app/crash" }] }, async ({ step }) => {
  await step.run("first", () => count("first"));
  await step.run("slow", async () => {
    await count("slow-started");
    await sleep(slowMs);
    return count("slow");
  });
  await step.run("last", () => count("last"));
  return "survived";
});

const workers = await startWorkers({
  redis,
  connection,
  logger: createLogger("silent"),
  functions: [crashy],
  prefix,
  retentionMs: 60 * 60 * 1000,
  dedupeWindowMs: 60 * 60 * 1000,
  concurrency: 5,
  retryBaseMs: 50,
  lockDurationMs: 1500,
  stalledIntervalMs: 500,
});
process.stdout.write("ready\n");
process.once("SIGTERM", () => {
  void workers.close().then(() => {
    redis.disconnect();
    connection.disconnect();
    process.exit(0);
  });
});
