import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { afterEach, describe, test } from "node:test";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { acceptEvents } from "../../src/events/accept-events.ts";
import { createFunction } from "../../src/client/index.ts";
import { createRunQueries } from "../../src/engine/store/run-queries.ts";
import { bridgeKeys } from "../../src/redis/keys.ts";
import { runIdFor } from "../../src/engine/store/run-id.ts";
import { EVENTS_QUEUE, keyPrefix } from "../../src/queue/queue-names.ts";
import { startTestEngine, type TestEngine } from "../helpers/engine-harness.ts";
import { dropPrefix, testPrefix, TEST_REDIS_URL } from "../helpers/test-redis.ts";

const WORKER = fileURLToPath(new URL("../helpers/engine-worker-process.ts", import.meta.url));

let engine: TestEngine | undefined;
const children: ChildProcess[] = [];
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  for (const cleanup of cleanups.splice(0)) await cleanup();
  await engine?.close();
  engine = undefined;
});

async function startWorkerProcess(prefix: string, slowMs: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", WORKER], {
    env: { ...process.env, ENGINE_TEST_PREFIX: prefix, ENGINE_SLOW_MS: String(slowMs) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  const [chunk] = (await once(child.stdout!, "data")) as [Buffer];
  assert.equal(chunk.toString().trim(), "ready");
  return child;
}

describe("crashes and volume", () => {
  test("a worker killed with SIGKILL mid-run: a new worker completes the run, no completed step runs twice", async () => {
    const prefix = testPrefix();
    const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
    const eventsQueue = new Queue(EVENTS_QUEUE, { connection: redis, prefix: keyPrefix(prefix) });
    cleanups.push(async () => {
      await eventsQueue.close();
      await dropPrefix(prefix);
      redis.disconnect();
    });
    const sideEffect = async (name: string) => Number((await redis.get(`{${prefix}}:side-effect:${name}`)) ?? 0);

    const doomed = await startWorkerProcess(prefix, 60_000);
    await acceptEvents({ eventsQueue, dedupeWindowMs: 3_600_000 }, [{ id: "k1", name: "app/crash", data: {} }], "test");
    await waitUntil(async () => (await sideEffect("slow-started")) === 1);
    doomed.kill("SIGKILL");
    await once(doomed, "exit");

    const survivor = await startWorkerProcess(prefix, 0);
    const store = createRunQueries({ redis, keys: bridgeKeys(prefix) });
    const runId = runIdFor("crashy", "k1");
    await waitUntil(async () => (await store.getRun(runId))?.status === "completed", 30_000);
    survivor.kill("SIGTERM");
    await once(survivor, "exit");

    assert.equal(await sideEffect("first"), 1, "the completed step did not run again");
    assert.equal(await sideEffect("slow-started"), 2, "the interrupted step ran again");
    assert.equal(await sideEffect("slow"), 1);
    assert.equal(await sideEffect("last"), 1);
    assert.equal((await store.getRun(runId))?.output, "survived");
  });

  test("1,000 events to 2 functions give exactly 2,000 runs, none doubled, none missing", async () => {
    const counter = (name: string) =>
      createFunction({ id: name, triggers: [{ event: "app/volume" }] }, async ({ event, step, runId }) => {
        await step.run("count", () =>
          engine!.redis.multi().hincrby(`{${engine!.prefix}}:volume:${name}`, event.id, 1).sadd(`{${engine!.prefix}}:volume-runs`, runId).exec(),
        );
      });
    // Nothing crashes here, so the production lock (30 s), not the harness's 2 s one: on a loaded
    // machine a 2 s pause makes a job stalled, and its step in flight runs again (at least once, as
    // BullMQ and Inngest promise for a step interrupted before its result is saved) and counts twice.
    engine = await startTestEngine([counter("alpha"), counter("beta")], { concurrency: 50, lockDurationMs: 30_000, stalledIntervalMs: 30_000 });
    const ids = Array.from({ length: 1000 }, (_, i) => `v${i}`);
    for (let i = 0; i < ids.length; i += 100) {
      await engine.send(ids.slice(i, i + 100).map((id) => ({ id, name: "app/volume", data: {} })));
    }
    // A redelivery of the first 100 events under other job ids (as after a router crash).
    const queue = new Queue(EVENTS_QUEUE, { connection: engine.redis, prefix: keyPrefix(engine.prefix) });
    const now = Date.now();
    await queue.addBulk(ids.slice(0, 100).map((id) => ({ name: "app/volume", data: { id, name: "app/volume", data: {}, ts: now, receivedAt: now, source: "test" }, opts: { jobId: `again-${id}` } })));
    await queue.close();
    await waitUntil(async () => (await engine!.redis.scard(`{${engine!.prefix}}:volume-runs`)) === 2000, 60_000);
    await waitUntil(async () => (await engine!.redis.llen(`{${engine!.prefix}}:events:wait`)) === 0);
    for (const name of ["alpha", "beta"]) {
      const counts = await engine.redis.hgetall(`{${engine.prefix}}:volume:${name}`);
      assert.equal(Object.keys(counts).length, 1000, `${name}: one run per event`);
      assert.ok(Object.values(counts).every((value) => value === "1"), `${name}: no run counted twice`);
    }
    assert.equal(await engine.redis.scard(`{${engine.prefix}}:volume-runs`), 2000);
  });
});

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
