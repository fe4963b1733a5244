import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createFunction } from "../../src/client/index.ts";
import { engineForEachTest } from "../helpers/engine-harness.ts";
import { waitUntil } from "../helpers/wait-until.ts";

const startEngine = engineForEachTest();

describe("debounce", () => {
  test("one run per key, with the last event, after the period of quiet", async () => {
    const seen: string[] = [];
    const fn = createFunction(
      { id: "settle", triggers: [{ event: "app/edit" }], debounce: { period: "1s", key: "event.data.user" } },
      ({ event }) => {
        seen.push(event.id);
        return event.data.n;
      },
    );
    const engine = await startEngine([fn]);
    for (const [id, user, n] of [
      ["d1", "u1", 1],
      ["d2", "u1", 2],
      ["d3", "u2", 1],
      ["d4", "u1", 3],
    ] as const)
      await engine.sendRouted({ id, name: "app/edit", data: { user, n } });
    assert.equal((await engine.waitForRun(engine.runId("settle", "d4"), "completed")).output, 3);
    await engine.waitForRun(engine.runId("settle", "d3"), "completed");
    const { keys } = engine;
    await waitUntil(
      async () => (await engine.redis.exists(keys.debounce("settle", "u1"), keys.debounce("settle", "u2"))) === 0,
    );
    assert.deepEqual(seen.sort(), ["d3", "d4"]);
    for (const id of ["d1", "d2"])
      assert.equal(await engine.store.getRun(engine.runId("settle", id)), undefined, `${id} started no run`);
  });

  test("an event older (by ts) than the one held changes nothing", async () => {
    const fn = createFunction(
      { id: "newest", triggers: [{ event: "app/edit" }], debounce: { period: "1s" } },
      ({ event }) => event.id,
    );
    const engine = await startEngine([fn]);
    const now = Date.now();
    await engine.sendRouted({ id: "o1", name: "app/edit", data: {}, ts: now - 2000 });
    await engine.sendRouted({ id: "o2", name: "app/edit", data: {}, ts: now - 1000 });
    await engine.sendRouted({ id: "o3", name: "app/edit", data: {}, ts: now - 5000 });
    await engine.waitForRun(engine.runId("newest", "o2"), "completed");
    assert.equal(await engine.store.getRun(engine.runId("newest", "o3")), undefined);
  });

  test("a rate limit applies to each event before the debounce: an event over it is skipped and does not reach the debounce", async () => {
    const fn = createFunction(
      {
        id: "gated",
        triggers: [{ event: "app/edit" }],
        debounce: { period: "1s" },
        rateLimit: { limit: 1, period: "1h" },
      },
      ({ event }) => event.id,
    );
    const engine = await startEngine([fn]);
    await engine.sendRouted({ id: "g1", name: "app/edit", data: {} });
    await engine.sendRouted({ id: "g2", name: "app/edit", data: {} });
    assert.equal((await engine.waitForRun(engine.runId("gated", "g2"), "skipped")).skipReason, "rate limited");
    assert.equal(
      (await engine.waitForRun(engine.runId("gated", "g1"), "completed")).output,
      "g1",
      "g2 did not replace g1 in the debounce",
    );
  });

  test("timeout: events that keep coming cannot put the run off for longer than the timeout", async () => {
    const seen: string[] = [];
    const fn = createFunction(
      { id: "capped", triggers: [{ event: "app/tick" }], debounce: { period: "2s", timeout: "3s" } },
      ({ event }) => seen.push(event.id),
    );
    const engine = await startEngine([fn]);
    // 12 events 500 ms apart: each would push the run 2 s further, so without the cap no run would start until the end.
    for (let i = 0; i < 12; i++) {
      await engine.sendRouted({ id: `t${i}`, name: "app/tick", data: {} });
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    await waitUntil(async () => seen.includes("t11"), 20_000);
    assert.ok(seen.length >= 2, `the timeout started runs while events kept coming: ${seen.join(", ")}`);
  });
});

describe("batchEvents", () => {
  test("one run per maxSize events, or fewer after the timeout; events in arrival order and event === events[0]", async () => {
    const batches: string[][] = [];
    const fn = createFunction(
      { id: "bulk", triggers: [{ event: "app/row" }], batchEvents: { maxSize: 3, timeout: "2s" } },
      ({ event, events }) => {
        batches.push(events.map((each) => each.id));
        return event === events[0];
      },
    );
    const engine = await startEngine([fn]);
    const ids = ["b1", "b2", "b3", "b4", "b5", "b6", "b7"];
    for (const id of ids) await engine.sendRouted({ id, name: "app/row", data: {} });
    await waitUntil(async () => batches.flat().length === 7, 20_000);
    assert.deepEqual(batches, [["b1", "b2", "b3"], ["b4", "b5", "b6"], ["b7"]]);
    const runs = await engine.store.listRuns({ functionId: "bulk", limit: 10 });
    assert.equal(runs.items.length, 3);
    for (const run of runs.items) assert.equal((await engine.waitForRun(run.id, "completed")).output, true);
    const [forB5] = await engine.store.listRunsForEvent("b5");
    assert.deepEqual(forB5?.eventIds, ["b4", "b5", "b6"], "an event's page shows the batch run it is in");
  });

  test("each key has its own batch; an event whose `if` is false runs at once, unbatched", async () => {
    const batches: string[][] = [];
    const fn = createFunction(
      {
        id: "keyed",
        triggers: [{ event: "app/row" }],
        batchEvents: { maxSize: 2, timeout: "10s", key: "event.data.account", if: "event.data.bulk == true" },
      },
      ({ events }) => batches.push(events.map((each) => each.id)),
    );
    const engine = await startEngine([fn]);
    for (const [id, account, bulk] of [
      ["k1", "a", true],
      ["k2", "b", true],
      ["k3", "a", false],
      ["k4", "a", true],
      ["k5", "b", true],
    ] as const) {
      await engine.sendRouted({ id, name: "app/row", data: { account, bulk } });
    }
    await waitUntil(async () => batches.length === 3);
    assert.deepEqual(batches.map((batch) => batch.join(",")).sort(), ["k1,k4", "k2,k5", "k3"]);
    assert.equal(
      (await engine.waitForRun(engine.runId("keyed", "k3"), "completed")).eventIds,
      undefined,
      "the unbatched run is the event's own",
    );
  });
});
