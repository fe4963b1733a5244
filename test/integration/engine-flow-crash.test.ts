import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { afterEach, describe, test } from "node:test";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { acceptEvents } from "../../src/events/accept-events.ts";
import { runIdFor } from "../../src/engine/store/run-id.ts";
import { createRunQueries } from "../../src/engine/store/run-queries.ts";
import { EVENTS_QUEUE, keyPrefix, RUNS_QUEUE } from "../../src/queue/queue-names.ts";
import { bridgeKeys } from "../../src/redis/keys.ts";
import { dropPrefix, testPrefix, TEST_REDIS_URL } from "../helpers/test-redis.ts";
import { waitUntil } from "../helpers/wait-until.ts";

const WORKER = fileURLToPath(new URL("../helpers/flow-worker-process.ts", import.meta.url));

const children: ChildProcess[] = [];
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function startWorkerProcess(prefix: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", WORKER], { env: { ...process.env, ENGINE_TEST_PREFIX: prefix }, stdio: ["ignore", "pipe", "inherit"] });
  children.push(child);
  const [chunk] = (await once(child.stdout!, "data")) as [Buffer];
  assert.equal(chunk.toString().trim(), "ready");
  return child;
}

async function kill(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  const exited = once(child, "exit");
  child.kill(signal);
  await exited;
}

/** A prefix of its own, the intake's queue to send with, and readers of what the workers did. */
async function setUp() {
  const prefix = testPrefix();
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  const eventsQueue = new Queue(EVENTS_QUEUE, { connection: redis, prefix: keyPrefix(prefix) });
  const runsQueue = new Queue(RUNS_QUEUE, { connection: redis, prefix: keyPrefix(prefix) });
  cleanups.push(async () => {
    await Promise.all([eventsQueue.close(), runsQueue.close()]);
    await dropPrefix(prefix);
    redis.disconnect();
  });
  const keys = bridgeKeys(prefix);
  return {
    prefix,
    redis,
    keys,
    runsQueue,
    store: createRunQueries({ redis, keys }),
    send: (events: Array<{ id: string; name: string; data: Record<string, unknown> }>) => acceptEvents({ eventsQueue, dedupeWindowMs: 3_600_000 }, events, "test"),
    recorded: (name: string) => redis.lrange(`{${prefix}}:side-effect:${name}`, 0, -1),
  };
}

describe("flow control survives a worker killed with SIGKILL", () => {
  test("in the middle of a debounce window: one run, with the last event, none lost", async () => {
    const t = await setUp();
    const doomed = await startWorkerProcess(t.prefix);
    await t.send([{ id: "d1", name: "app/edit", data: { user: "u1" } }]);
    await t.send([{ id: "d2", name: "app/edit", data: { user: "u1" } }]);
    const debounceKey = t.keys.debounce("debounced", "u1");
    await waitUntil(async () => (await t.redis.hget(debounceKey, "eventId")) === "d2");
    await kill(doomed, "SIGKILL"); // the window is open: its fire job is a delayed job in Redis
    await t.send([{ id: "d3", name: "app/edit", data: { user: "u1" } }]); // arrives while no worker runs

    const survivor = await startWorkerProcess(t.prefix);
    await waitUntil(async () => (await t.store.getRun(runIdFor("debounced", "d3")))?.status === "completed", 30_000);
    // Settled: the debounce is gone, no fire job is left, every event has been routed.
    await waitUntil(async () => (await t.redis.exists(debounceKey)) === 0 && (await t.runsQueue.getJobCounts("delayed", "waiting", "active")).delayed === 0);
    await kill(survivor, "SIGTERM");
    // d2's window may have closed while no worker ran (the restart takes longer than the period):
    // then d2 has its run and d3 opened a new window. Either way each window ran once, with its last event.
    const recorded = await t.recorded("debounced");
    assert.ok(["d3", "d2,d3"].includes(recorded.join(",")), recorded.join(","));
    assert.equal(await t.store.getRun(runIdFor("debounced", "d1")), undefined, "d1 was superseded by d2");
  });

  test("in the middle of a batch: the batch fills up after the restart, with every event in order", async () => {
    const t = await setUp();
    const doomed = await startWorkerProcess(t.prefix);
    await t.send([{ id: "b1", name: "app/row", data: {} }]);
    await t.send([{ id: "b2", name: "app/row", data: {} }]);
    const openBatch = t.keys.batch("batched", "");
    await waitUntil(async () => {
      const id = await t.redis.hget(openBatch, "id");
      return id !== null && (await t.redis.llen(t.keys.batchEvents(id))) === 2;
    });
    await kill(doomed, "SIGKILL");
    await t.send([{ id: "b3", name: "app/row", data: {} }]);
    await t.send([{ id: "b4", name: "app/row", data: {} }]);

    const survivor = await startWorkerProcess(t.prefix);
    await waitUntil(async () => (await t.store.getRun(runIdFor("batched", (await t.redis.get(t.keys.batchedEvent("batched", "b4"))) ?? "")))?.status === "completed", 30_000);
    await kill(survivor, "SIGTERM");
    assert.deepEqual(await t.recorded("batched"), ["b1,b2,b3,b4"]);
  });

  test("a batch whose worker died before its timeout is flushed by the next worker", async () => {
    const t = await setUp();
    const doomed = await startWorkerProcess(t.prefix);
    await t.send([{ id: "l1", name: "app/log", data: {} }]);
    await t.send([{ id: "l2", name: "app/log", data: {} }]);
    await waitUntil(async () => (await t.redis.exists(t.keys.batchedEvent("flushed", "l2"))) === 1);
    await kill(doomed, "SIGKILL");
    const survivor = await startWorkerProcess(t.prefix);
    await waitUntil(async () => (await t.recorded("flushed")).length === 1, 30_000);
    await waitUntil(async () => (await t.runsQueue.getJobCounts("delayed")).delayed === 0);
    await kill(survivor, "SIGTERM");
    assert.deepEqual(await t.recorded("flushed"), ["l1,l2"]);
  });
});
