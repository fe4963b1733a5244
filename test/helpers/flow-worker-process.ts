/**
 * A worker process for the flow-control crash tests (test/integration/engine-flow-crash.test.ts),
 * killed with SIGKILL in the middle of a debounce window or of a batch. Its functions record
 * every run in Redis (the side effects the test checks).
 */
import { loadConfig } from "../../src/config.ts";
import { createFunction } from "../../src/engine/index.ts";
import { createRegistry } from "../../src/engine/registry.ts";
import { startWorkers } from "../../src/engine/start-workers.ts";
import { createLogger } from "../../src/logger.ts";
import { createServices } from "../../src/services/create-services.ts";
import { workerDepsOf } from "../../src/services/worker-deps.ts";
import { TEST_REDIS_URL } from "./test-redis.ts";

const prefix = process.env.ENGINE_TEST_PREFIX as string;
const config = loadConfig({ REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix, FUNCTIONS: "none", RETENTION: "1h", DEDUPE_WINDOW: "1h" });
const services = await createServices(config, createLogger("silent"));
const record = (name: string, value: string) => services.redis.rpush(`{${prefix}}:side-effect:${name}`, value);

const debounced = createFunction({ id: "debounced", triggers: [{ event: "app/edit" }], debounce: { period: "2s", key: "event.data.user" } }, async ({ event, step }) => {
  await step.run("record", () => record("debounced", event.id));
});
// A timeout longer than a restart, so only a full batch starts a run during the test...
const batched = createFunction({ id: "batched", triggers: [{ event: "app/row" }], batchEvents: { maxSize: 4, timeout: "1m" } }, async ({ events, step }) => {
  await step.run("record", () => record("batched", events.map((event) => event.id).join(",")));
});
// ...and a short one, for a batch flushed by its timeout.
const flushed = createFunction({ id: "flushed", triggers: [{ event: "app/log" }], batchEvents: { maxSize: 10, timeout: "2s" } }, async ({ events, step }) => {
  await step.run("record", () => record("flushed", events.map((event) => event.id).join(",")));
});

const connection = services.createBlockingClient();
const options = { ...config.engine, concurrency: 5, retryBaseMs: 50, lockDurationMs: 1500, stalledIntervalMs: 500 };
const workers = await startWorkers(workerDepsOf(services, connection, options), createRegistry([debounced, batched, flushed]));
process.stdout.write("ready\n");
process.once("SIGTERM", () => {
  void workers.close().then(async () => {
    connection.disconnect();
    await services.close();
    process.exit(0);
  });
});
