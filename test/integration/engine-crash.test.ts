import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createFunction } from "../../src/client/index.ts";
import { runIdFor } from "../../src/engine/store/run-id.ts";
import { crashTestsOf, kill } from "../helpers/crash-harness.ts";
import { engineForEachTest } from "../helpers/engine-harness.ts";
import { waitUntil } from "../helpers/wait-until.ts";

const crash = crashTestsOf(new URL("../helpers/engine-worker-process.ts", import.meta.url));
const startEngine = engineForEachTest();

describe("crashes and volume", () => {
  test("a worker killed with SIGKILL mid-run: a new worker completes the run, no completed step runs twice", async () => {
    const { prefix, redis, store, send } = crash.outside();
    const sideEffect = async (name: string) => Number((await redis.get(`{${prefix}}:side-effect:${name}`)) ?? 0);

    const doomed = await crash.startWorker(prefix, { ENGINE_SLOW_MS: "60000" });
    await send({ id: "k1", name: "app/crash", data: {} });
    await waitUntil(async () => (await sideEffect("slow-started")) === 1);
    await kill(doomed, "SIGKILL");

    const survivor = await crash.startWorker(prefix, { ENGINE_SLOW_MS: "0" });
    const runId = runIdFor("crashy", "k1");
    await waitUntil(async () => (await store.getRun(runId))?.status === "completed", 30_000);
    await kill(survivor, "SIGTERM");

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
          engine.redis
            .multi()
            .hincrby(`{${engine.prefix}}:volume:${name}`, event.id, 1)
            .sadd(`{${engine.prefix}}:volume-runs`, runId)
            .exec(),
        );
      });
    // Nothing crashes here, so the production lock (30 s), not the harness's 2 s one: on a loaded
    // machine a 2 s pause makes a job stalled, and its step in flight runs again (at least once, as
    // BullMQ and Inngest promise for a step interrupted before its result is saved) and counts twice.
    const engine = await startEngine([counter("alpha"), counter("beta")], {
      concurrency: 50,
      lockDurationMs: 30_000,
      stalledIntervalMs: 30_000,
    });
    const ids = Array.from({ length: 1000 }, (_, i) => `v${i}`);
    for (let i = 0; i < ids.length; i += 100) {
      await engine.send(ids.slice(i, i + 100).map((id) => ({ id, name: "app/volume", data: {} })));
    }
    // A redelivery of the first 100 events under other job ids (as after a router crash).
    const now = Date.now();
    await engine.eventsQueue.addBulk(
      ids.slice(0, 100).map((id) => ({
        name: "app/volume",
        data: { id, name: "app/volume", data: {}, ts: now, receivedAt: now, source: "test" },
        opts: { jobId: `again-${id}` },
      })),
    );
    await waitUntil(async () => (await engine.redis.scard(`{${engine.prefix}}:volume-runs`)) === 2000, 60_000);
    await waitUntil(async () => (await engine.redis.llen(`{${engine.prefix}}:events:wait`)) === 0);
    for (const name of ["alpha", "beta"]) {
      const counts = await engine.redis.hgetall(`{${engine.prefix}}:volume:${name}`);
      assert.equal(Object.keys(counts).length, 1000, `${name}: one run per event`);
      assert.ok(
        Object.values(counts).every((value) => value === "1"),
        `${name}: no run counted twice`,
      );
    }
    assert.equal(await engine.redis.scard(`{${engine.prefix}}:volume-runs`), 2000);
  });
});
