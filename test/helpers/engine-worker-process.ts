/**
 * A worker process for the crash tests: started by test/integration/engine-crash.test.ts and
 * killed with SIGKILL in the middle of a run. Its function counts every step execution in Redis
 * (the side effects the test checks), and its "slow" step gives the test time to kill it.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { loadConfig } from "../../src/config.ts";
import { createFunction } from "../../src/engine/index.ts";
import { createRegistry } from "../../src/engine/registry.ts";
import { startWorkers } from "../../src/engine/start-workers.ts";
import { createLogger } from "../../src/logger.ts";
import { createServices } from "../../src/services/create-services.ts";
import { workerDepsOf } from "../../src/services/worker-deps.ts";
import { TEST_REDIS_URL } from "./test-redis.ts";

const prefix = process.env.ENGINE_TEST_PREFIX as string;
const slowMs = Number(process.env.ENGINE_SLOW_MS ?? 0);
const config = loadConfig({ REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix, FUNCTIONS: "none", RETENTION: "1h", DEDUPE_WINDOW: "1h" });
const services = await createServices(config, createLogger("silent"));
const count = (name: string) => services.redis.incr(`{${prefix}}:side-effect:${name}`);

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

const connection = services.createBlockingClient();
const options = { ...config.engine, concurrency: 5, retryBaseMs: 50, lockDurationMs: 1500, stalledIntervalMs: 500 };
const workers = await startWorkers(workerDepsOf(services, connection, options), createRegistry([crashy]));
process.stdout.write("ready\n");
process.once("SIGTERM", () => {
  void workers.close().then(async () => {
    connection.disconnect();
    await services.close();
    process.exit(0);
  });
});
