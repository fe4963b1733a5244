/**
 * A worker process for the flow-control crash tests (test/integration/engine-flow-crash.test.ts),
 * killed with SIGKILL in the middle of a debounce window or of a batch. Its functions record
 * every run in Redis (the side effects the test checks).
 */
import { createFunction } from "../../src/client/index.ts";
import { crashWorkerServices, prefix, runCrashWorker } from "./crash-worker.ts";

const setup = await crashWorkerServices();
const { services } = setup;
const record = (name: string, value: string) => services.redis.rpush(`{${prefix}}:side-effect:${name}`, value);

const debounced = createFunction(
  { id: "debounced", triggers: [{ event: "app/edit" }], debounce: { period: "2s", key: "event.data.user" } },
  async ({ event, step }) => {
    await step.run("record", () => record("debounced", event.id));
  },
);
// A timeout longer than a restart, so only a full batch starts a run during the test...
const batched = createFunction(
  { id: "batched", triggers: [{ event: "app/row" }], batchEvents: { maxSize: 4, timeout: "1m" } },
  async ({ events, step }) => {
    await step.run("record", () => record("batched", events.map((event) => event.id).join(",")));
  },
);
// ...and a short one, for a batch flushed by its timeout.
const flushed = createFunction(
  { id: "flushed", triggers: [{ event: "app/log" }], batchEvents: { maxSize: 10, timeout: "2s" } },
  async ({ events, step }) => {
    await step.run("record", () => record("flushed", events.map((event) => event.id).join(",")));
  },
);

await runCrashWorker(setup, [debounced, batched, flushed]);
