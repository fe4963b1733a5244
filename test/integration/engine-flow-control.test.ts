import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createFunction } from "../../src/client/index.ts";
import { engineForEachTest } from "../helpers/engine-harness.ts";
import { waitUntil } from "../helpers/wait-until.ts";

const startEngine = engineForEachTest();

describe("flow control", () => {
  test("idempotency: one run per key, whatever the event ids", async () => {
    const fn = createFunction(
      { id: "welcome", triggers: [{ event: "app/signup" }], idempotency: "event.data.userId" },
      ({ event }) => event.id,
    );
    const engine = await startEngine([fn]);
    await engine.send([
      { id: "i1", name: "app/signup", data: { userId: "u1" } },
      { id: "i2", name: "app/signup", data: { userId: "u1" } },
      { id: "i3", name: "app/signup", data: { userId: "u2" } },
    ]);
    await engine.waitForRun(engine.runId("welcome", "i1"), "completed");
    await engine.waitForRun(engine.runId("welcome", "i3"), "completed");
    await waitUntil(async () => (await engine.eventLog.listEvents({ limit: 10 })).items.length === 3);
    assert.equal(await engine.store.getRun(engine.runId("welcome", "i2")), undefined);
  });

  test("concurrency: runs over the limit wait for a slot instead of failing", async () => {
    let active = 0;
    let peak = 0;
    const fn = createFunction(
      { id: "one-at-a-time", triggers: [{ event: "app/job" }], concurrency: { limit: 1 } },
      async ({ step }) =>
        step.run("work", async () => {
          peak = Math.max(peak, ++active);
          await new Promise((resolve) => setTimeout(resolve, 150));
          active--;
          return "done";
        }),
    );
    const engine = await startEngine([fn]);
    await engine.send([1, 2, 3].map((n) => ({ id: `c${n}`, name: "app/job", data: {} })));
    for (const n of [1, 2, 3]) await engine.waitForRun(engine.runId("one-at-a-time", `c${n}`), "completed", 30_000);
    assert.equal(peak, 1);
  });

  test("concurrency with a key limits each key on its own", async () => {
    const active = new Map<string, number>();
    let peakPerKey = 0;
    let peakOverall = 0;
    let overall = 0;
    const fn = createFunction(
      { id: "per-account", triggers: [{ event: "app/job" }], concurrency: { limit: 1, key: "event.data.account" } },
      async ({ event, step }) =>
        step.run("work", async () => {
          const account = event.data.account as string;
          active.set(account, (active.get(account) ?? 0) + 1);
          overall++;
          peakPerKey = Math.max(peakPerKey, active.get(account)!);
          peakOverall = Math.max(peakOverall, overall);
          await new Promise((resolve) => setTimeout(resolve, 300));
          active.set(account, active.get(account)! - 1);
          overall--;
        }),
    );
    const engine = await startEngine([fn]);
    await engine.send([
      { id: "k1", name: "app/job", data: { account: "a" } },
      { id: "k2", name: "app/job", data: { account: "b" } },
      { id: "k3", name: "app/job", data: { account: "a" } },
    ]);
    for (const n of [1, 2, 3]) await engine.waitForRun(engine.runId("per-account", `k${n}`), "completed", 30_000);
    assert.equal(peakPerKey, 1);
    assert.equal(peakOverall, 2, "different keys ran side by side");
  });

  test("a cron trigger starts runs from a BullMQ job scheduler", async () => {
    const fn = createFunction({ id: "ticker", triggers: [{ cron: "* * * * * *" }] }, ({ event }) => event.name);
    const engine = await startEngine([fn]);
    let runs: Awaited<ReturnType<typeof engine.store.listRuns>>["items"] = [];
    await waitUntil(async () => {
      runs = (await engine.store.listRuns({ functionId: "ticker", status: "completed", limit: 5 })).items;
      return runs.length > 0;
    });
    assert.equal(runs[0]?.output, "inngest/scheduled.timer");
    await engine.restart([]);
    assert.equal(
      (await engine.eventsQueue.getJobSchedulers()).length,
      0,
      "a removed cron function's scheduler is removed",
    );
  });

  test("a cron jitter delays each tick's run by up to the jitter", async () => {
    const fn = createFunction(
      { id: "jittery", triggers: [{ cron: "* * * * * *", jitter: "2s" }] },
      ({ event }) => event.ts,
    );
    const engine = await startEngine([fn]);
    let runs: Awaited<ReturnType<typeof engine.store.listRuns>>["items"] = [];
    await waitUntil(async () => {
      runs = (await engine.store.listRuns({ functionId: "jittery", status: "completed", limit: 5 })).items;
      return runs.length >= 3;
    });
    const delays = runs.map((run) => (run.output as number) - run.event.receivedAt);
    for (const delay of delays)
      assert.ok(delay >= 0 && delay < 2000, `a tick's run is due within the jitter (${delay} ms)`);
    assert.ok(new Set(delays).size > 1, "each tick draws its own delay");
    for (const run of runs)
      assert.ok((run.startedAt ?? 0) >= (run.output as number), "the run started no earlier than it was due");
  });
});
