import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { runIdFor } from "../../src/engine/store/run-id.ts";
import { crashTestsOf, kill } from "../helpers/crash-harness.ts";
import { waitUntil } from "../helpers/wait-until.ts";

const crash = crashTestsOf(new URL("../helpers/flow-worker-process.ts", import.meta.url));

/** A prefix of its own seen from outside, and what the workers' functions recorded there. */
function setUp() {
  const view = crash.outside();
  return { ...view, recorded: (name: string) => view.redis.lrange(`{${view.prefix}}:side-effect:${name}`, 0, -1) };
}

describe("flow control survives a worker killed with SIGKILL", () => {
  test("in the middle of a debounce window: one run, with the last event, none lost", async () => {
    const t = setUp();
    const doomed = await crash.startWorker(t.prefix);
    await t.send([{ id: "d1", name: "app/edit", data: { user: "u1" } }]);
    await t.send([{ id: "d2", name: "app/edit", data: { user: "u1" } }]);
    const debounceKey = t.keys.debounce("debounced", "u1");
    await waitUntil(async () => (await t.redis.hget(debounceKey, "eventId")) === "d2");
    await kill(doomed, "SIGKILL"); // the window is open: its fire job is a delayed job in Redis
    await t.send([{ id: "d3", name: "app/edit", data: { user: "u1" } }]); // arrives while no worker runs

    const survivor = await crash.startWorker(t.prefix);
    await waitUntil(async () => (await t.store.getRun(runIdFor("debounced", "d3")))?.status === "completed", 30_000);
    // Settled: the debounce is gone, no fire job is left, every event has been routed.
    await waitUntil(
      async () =>
        (await t.redis.exists(debounceKey)) === 0 &&
        (await t.runsQueue.getJobCounts("delayed", "waiting", "active")).delayed === 0,
    );
    await kill(survivor, "SIGTERM");
    // d2's window may have closed while no worker ran (the restart takes longer than the period):
    // then d2 has its run and d3 opened a new window. Either way each window ran once, with its last event.
    const recorded = await t.recorded("debounced");
    assert.ok(["d3", "d2,d3"].includes(recorded.join(",")), recorded.join(","));
    assert.equal(await t.store.getRun(runIdFor("debounced", "d1")), undefined, "d1 was superseded by d2");
  });

  test("in the middle of a batch: the batch fills up after the restart, with every event in order", async () => {
    const t = setUp();
    const doomed = await crash.startWorker(t.prefix);
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

    const survivor = await crash.startWorker(t.prefix);
    await waitUntil(
      async () =>
        (await t.store.getRun(runIdFor("batched", (await t.redis.get(t.keys.batchedEvent("batched", "b4"))) ?? "")))
          ?.status === "completed",
      30_000,
    );
    await kill(survivor, "SIGTERM");
    assert.deepEqual(await t.recorded("batched"), ["b1,b2,b3,b4"]);
  });

  test("a batch whose worker died before its timeout is flushed by the next worker", async () => {
    const t = setUp();
    const doomed = await crash.startWorker(t.prefix);
    await t.send([{ id: "l1", name: "app/log", data: {} }]);
    await t.send([{ id: "l2", name: "app/log", data: {} }]);
    await waitUntil(async () => (await t.redis.exists(t.keys.batchedEvent("flushed", "l2"))) === 1);
    await kill(doomed, "SIGKILL");
    const survivor = await crash.startWorker(t.prefix);
    await waitUntil(async () => (await t.recorded("flushed")).length === 1, 30_000);
    await waitUntil(async () => (await t.runsQueue.getJobCounts("delayed")).delayed === 0);
    await kill(survivor, "SIGTERM");
    assert.deepEqual(await t.recorded("flushed"), ["l1,l2"]);
  });
});
