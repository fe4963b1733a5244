import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createFunction } from "../../src/client/index.ts";
import type { RunState } from "../../src/engine/store/run-state.ts";
import { engineForEachTest, type TestEngine } from "../helpers/engine-harness.ts";
import { waitUntil } from "../helpers/wait-until.ts";

const startEngine = engineForEachTest();

/** Sends events one at a time, each once its run exists, so they reach the router in this order. */
async function sendInOrder(
  engine: TestEngine,
  functionId: string,
  events: Array<{ id: string; name: string; data: Record<string, unknown> }>,
): Promise<void> {
  for (const event of events) {
    await engine.send(event);
    await waitUntil(async () => (await engine.store.getRun(engine.runId(functionId, event.id))) !== undefined);
  }
}

async function skippedCount(engine: TestEngine, labels: { function: string; reason: string }): Promise<number> {
  const metric = (await engine.metrics.runsSkipped.get()).values.find(
    (value) => value.labels.function === labels.function && value.labels.reason === labels.reason,
  );
  return metric?.value ?? 0;
}

describe("rateLimit", () => {
  test("runs over the limit are skipped, stored as skipped with the reason, and counted", async () => {
    let ran = 0;
    // 10 per hour: GCRA with Inngest's implicit burst of floor(10/10) = 1, so 2 at once.
    const fn = createFunction(
      { id: "limited", triggers: [{ event: "app/ping" }], rateLimit: { limit: 10, period: "1h" } },
      () => ++ran,
    );
    const engine = await startEngine([fn]);
    const ids = ["l1", "l2", "l3", "l4", "l5"];
    await sendInOrder(
      engine,
      "limited",
      ids.map((id) => ({ id, name: "app/ping", data: {} })),
    );
    const runs = await Promise.all(
      ids.map((id) => engine.waitForRun(engine.runId("limited", id), ["completed", "skipped"])),
    );
    assert.deepEqual(
      runs.map((run) => run.status),
      ["completed", "completed", "skipped", "skipped", "skipped"],
    );
    assert.equal(ran, 2);
    assert.deepEqual(new Set(runs.slice(2).map((run) => run.skipReason)), new Set(["rate limited"]));
    assert.equal(runs[2]?.steps.length, 0);
    assert.equal(await skippedCount(engine, { function: "limited", reason: "rate_limit" }), 3);
    const listed = await engine.store.listRuns({ status: "skipped", functionId: "limited", limit: 10 });
    assert.equal(listed.items.length, 3, "the dashboard lists the skipped runs");
  });

  test("each key has its own limit, and a key of `false` is not limited", async () => {
    const fn = createFunction(
      {
        id: "per-user",
        triggers: [{ event: "app/ping" }],
        rateLimit: { limit: 1, period: "1h", key: "has(event.data.vip) && event.data.vip ? false : event.data.user" },
      },
      ({ event }) => event.data.user,
    );
    const engine = await startEngine([fn]);
    await sendInOrder(engine, "per-user", [
      { id: "k1", name: "app/ping", data: { user: "a" } },
      { id: "k2", name: "app/ping", data: { user: "a" } },
      { id: "k3", name: "app/ping", data: { user: "b" } },
      { id: "k4", name: "app/ping", data: { user: "v", vip: true } },
      { id: "k5", name: "app/ping", data: { user: "v", vip: true } },
    ]);
    const status = async (id: string) =>
      (await engine.waitForRun(engine.runId("per-user", id), ["completed", "skipped"])).status;
    assert.deepEqual(await Promise.all(["k1", "k2", "k3", "k4", "k5"].map(status)), [
      "completed",
      "skipped",
      "completed",
      "completed",
      "completed",
    ]);
  });
});

describe("throttle", () => {
  test("runs over the limit wait their turn in arrival order, none dropped, spaced by period/limit", async () => {
    const starts: string[] = [];
    // 2 per 4 s: 2 start at once, then one every 2 s.
    const fn = createFunction(
      { id: "throttled", triggers: [{ event: "app/job" }], throttle: { limit: 2, period: "4s" } },
      ({ event }) => {
        starts.push(event.id);
        return event.id;
      },
    );
    const engine = await startEngine([fn]);
    const ids = ["t1", "t2", "t3", "t4"];
    await sendInOrder(
      engine,
      "throttled",
      ids.map((id) => ({ id, name: "app/job", data: {} })),
    );
    const queued = (await Promise.all(
      ids.map((id) => engine.store.getRun(engine.runId("throttled", id))),
    )) as RunState[];
    assert.equal(queued[0]?.scheduledFor, undefined, "within the limit: starts at once");
    assert.equal(queued[1]?.scheduledFor, undefined, "within the limit: starts at once");
    assert.ok(
      queued[2]?.scheduledFor !== undefined && queued[3]?.scheduledFor !== undefined,
      "over the limit: a reserved start",
    );
    assert.equal(
      (queued[3]?.scheduledFor as number) - (queued[2]?.scheduledFor as number),
      2000,
      "one start per period/limit",
    );
    for (const id of ids) await engine.waitForRun(engine.runId("throttled", id), "completed", 30_000);
    assert.deepEqual(starts, ids, "started in arrival order");
  });

  test("burst lets more start at once, and each key has its own throttle", async () => {
    const fn = createFunction(
      {
        id: "bursty",
        triggers: [{ event: "app/job" }],
        throttle: { limit: 1, period: "1h", burst: 1, key: "event.data.account" },
      },
      () => "ok",
    );
    const engine = await startEngine([fn]);
    await sendInOrder(engine, "bursty", [
      { id: "b1", name: "app/job", data: { account: "a" } },
      { id: "b2", name: "app/job", data: { account: "a" } },
      { id: "b3", name: "app/job", data: { account: "a" } },
      { id: "b4", name: "app/job", data: { account: "b" } },
    ]);
    for (const id of ["b1", "b2", "b4"]) await engine.waitForRun(engine.runId("bursty", id), "completed");
    const third = await engine.store.getRun(engine.runId("bursty", "b3"));
    assert.equal(third?.status, "queued", "the third run of key a waits for the next slot (an hour away), not dropped");
    assert.ok((third?.scheduledFor ?? 0) > Date.now() + 30 * 60_000);
  });
});
