import { Writable } from "node:stream";
import { Queue } from "bullmq";
import { loadConfig } from "../../src/config.ts";
import { createOperatorRouters } from "../../src/dashboard/create-operator-routers.ts";
import { createRunStore, type BridgeFunction } from "../../src/engine/index.ts";
import type { RunState } from "../../src/engine/run-state.ts";
import { createEventLog } from "../../src/events/event-log.ts";
import type { BridgeEvent } from "../../src/events/event-schema.ts";
import { createApp } from "../../src/http/create-app.ts";
import { createLogger } from "../../src/logger.ts";
import { EVENTS_QUEUE, keyPrefix, RUNS_QUEUE } from "../../src/queue/queue-names.ts";
import { createCommandClient, createWorkerClient } from "../../src/redis/create-redis.ts";
import { loadTransforms } from "../../src/transforms/load-transforms.ts";
import { TEST_SECRET } from "./sign-fixture.ts";
import { dropPrefix, testPrefix, TEST_REDIS_URL } from "./test-redis.ts";

/** A receiver with the operator API mounted, as main.ts wires it, on a Redis prefix of its own. */
export async function makeOperatorApp(env: Record<string, string> = {}, functions: BridgeFunction[] = []) {
  const prefix = testPrefix();
  const config = loadConfig({ CLERK_WEBHOOK_SECRET: TEST_SECRET, REDIS_PREFIX: prefix, LOG_LEVEL: "silent", ...env });
  const logger = createLogger("silent", new Writable({ write: (_c, _e, done) => done() }));
  const redis = createCommandClient(TEST_REDIS_URL);
  const eventsQueue = new Queue(EVENTS_QUEUE, { connection: redis, prefix: keyPrefix(prefix) });
  const runsQueue = new Queue(RUNS_QUEUE, { connection: redis, prefix: keyPrefix(prefix) });
  const operator = createOperatorRouters({
    config, logger, redis, eventsQueue, runsQueue,
    functions: () => functions,
    createBlockingClient: () => createWorkerClient(TEST_REDIS_URL),
  });
  const transforms = await loadTransforms(config.transformsDir);
  const app = createApp({ config, logger, redis, eventsQueue, transforms, verifiers: new Map(), routers: operator.routers });
  const base = { redis, prefix, retentionMs: config.retentionMs };
  return {
    app, redis, prefix, config,
    eventLog: createEventLog(base),
    runStore: createRunStore({ ...base, runsQueue }),
    async close() {
      await operator.close();
      await eventsQueue.close();
      await runsQueue.close();
      redis.disconnect();
      await dropPrefix(prefix);
    },
  };
}

export type OperatorApp = Awaited<ReturnType<typeof makeOperatorApp>>;

/** Creates a run the way the router does, through the run store's own script. */
export async function createRun(t: OperatorApp, runId: string, event: BridgeEvent, functionId: string, status?: RunState["status"]) {
  await t.runStore.createRun({ id: runId, functionId, event, createdAt: Date.now() });
  if (status) await t.runStore.updateRun(runId, { status, ...(status === "failed" ? { endedAt: Date.now(), error: { name: "Error", message: "boom" } } : {}) });
}

/** Records an event in the event log under the keys the router's script writes (entryOf). */
export async function recordInLog(t: OperatorApp, event: BridgeEvent): Promise<void> {
  const { allKey, nameKey, member } = t.eventLog.entryOf(event);
  await Promise.all([t.redis.zadd(allKey, 0, member), t.redis.zadd(nameKey, 0, member)]);
}
