import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createFunction } from "../../src/client/index.ts";
import { bridgeKeys } from "../../src/redis/keys.ts";
import { engineForEachTest } from "../helpers/engine-harness.ts";
import { waitUntil } from "../helpers/wait-until.ts";

const startEngine = engineForEachTest();

/** A run that waits for `app/release` with its user, so a test decides when it ends. */
const waitForRelease = async ({ step }: { step: any }) => {
  const released = await step.waitForEvent("release", {
    event: "app/release",
    timeout: "1m",
    if: "async.data.user == event.data.user",
  });
  return released ? "released" : "timed out";
};

describe("singleton", () => {
  test('mode "skip": a new run is skipped while one is active for its key, and runs once it has ended', async () => {
    const fn = createFunction(
      { id: "exclusive", triggers: [{ event: "app/sync" }], singleton: { key: "event.data.user", mode: "skip" } },
      waitForRelease,
    );
    const engine = await startEngine([fn]);
    const run = (id: string) => engine.runId("exclusive", id);
    await engine.send({ id: "s1", name: "app/sync", data: { user: "u1" } });
    await engine.waitForRun(run("s1"), "waiting");
    await engine.send([
      { id: "s2", name: "app/sync", data: { user: "u1" } },
      { id: "s3", name: "app/sync", data: { user: "u2" } },
    ]);
    const skipped = await engine.waitForRun(run("s2"), "skipped");
    assert.equal(skipped.skipReason, `singleton: run ${run("s1")} is active`);
    await engine.waitForRun(run("s3"), "waiting"); // another key is not held back
    await engine.send({ id: "r1", name: "app/release", data: { user: "u1" } });
    await engine.waitForRun(run("s1"), "completed");
    await engine.send({ id: "s4", name: "app/sync", data: { user: "u1" } });
    await engine.waitForRun(run("s4"), "waiting");
    const metric = (await engine.metrics.runsSkipped.get()).values.find((value) => value.labels.reason === "singleton");
    assert.equal(metric?.value, 1);
  });

  test('mode "cancel": the active run is cancelled with a reason, and the new one runs', async () => {
    let cancelled = 0;
    const fn = createFunction(
      { id: "latest-wins", triggers: [{ event: "app/sync" }], singleton: { mode: "cancel" } },
      waitForRelease,
    );
    const listener = createFunction(
      { id: "on-cancel", triggers: [{ event: "inngest/function.cancelled" }] },
      () => ++cancelled,
    );
    const engine = await startEngine([fn, listener]);
    const run = (id: string) => engine.runId("latest-wins", id);
    await engine.send({ id: "c1", name: "app/sync", data: { user: "u1" } });
    await engine.waitForRun(run("c1"), "waiting");
    await engine.send({ id: "c2", name: "app/sync", data: { user: "u1" } });
    const replaced = await engine.waitForRun(run("c1"), "cancelled");
    assert.equal(replaced.cancelReason, `singleton: replaced by run ${run("c2")}`);
    await engine.waitForRun(run("c2"), "waiting");
    await waitUntil(async () => cancelled === 1); // inngest/function.cancelled, emitted by the wind-up
    await engine.send({ id: "r2", name: "app/release", data: { user: "u1" } });
    assert.equal((await engine.waitForRun(run("c2"), "completed")).output, "released");
  });
});

describe("timeouts", () => {
  test("start: a run still waiting for a concurrency slot at its deadline is cancelled", async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const fn = createFunction(
      { id: "slow-start", triggers: [{ event: "app/job" }], concurrency: 1, timeouts: { start: "1s" } },
      async ({ event, step }) => {
        if (event.id === "first") await step.run("hold", () => held);
        return event.id;
      },
    );
    const engine = await startEngine([fn]);
    await engine.send({ id: "first", name: "app/job", data: {} });
    await engine.waitForRun(engine.runId("slow-start", "first"), "running");
    await engine.send({ id: "second", name: "app/job", data: {} });
    const second = await engine.waitForRun(engine.runId("slow-start", "second"), "cancelled");
    assert.equal(second.cancelReason, "timeouts.start: the run did not start within 1s");
    assert.equal(second.steps.length, 0);
    release();
    await engine.waitForRun(engine.runId("slow-start", "first"), "completed");
  });

  test("start: a throttle slot after the deadline cancels the run at once", async () => {
    const fn = createFunction(
      {
        id: "throttled-start",
        triggers: [{ event: "app/job" }],
        throttle: { limit: 1, period: "1h" },
        timeouts: { start: "5s" },
      },
      () => "ran",
    );
    const engine = await startEngine([fn]);
    await engine.send({ id: "a", name: "app/job", data: {} });
    await engine.waitForRun(engine.runId("throttled-start", "a"), "completed");
    await engine.send({ id: "b", name: "app/job", data: {} });
    const late = await engine.waitForRun(engine.runId("throttled-start", "b"), "cancelled");
    assert.match(late.cancelReason ?? "", /^timeouts\.start: its throttle slot is after its start deadline/);
  });

  test("finish: a run sleeping past its deadline is cancelled at the deadline; onFailure does not run", async () => {
    let failures = 0;
    let after = 0;
    const fn = createFunction(
      { id: "slow-finish", triggers: [{ event: "app/job" }], timeouts: { finish: "1s" }, onFailure: () => ++failures },
      async ({ step }) => {
        await step.run("before", () => "done");
        await step.sleep("nap", "1h");
        await step.run("after", () => ++after);
      },
    );
    const engine = await startEngine([fn]);
    await engine.send({ id: "f1", name: "app/job", data: {} });
    const run = await engine.waitForRun(engine.runId("slow-finish", "f1"), "cancelled");
    assert.equal(run.cancelReason, "timeouts.finish: the run did not finish within 1s");
    assert.equal(after, 0);
    assert.equal(failures, 0);
  });

  test("finish: a step that outlives the deadline completes, and no step starts after it", async () => {
    let next = 0;
    const fn = createFunction(
      { id: "long-step", triggers: [{ event: "app/job" }], timeouts: { finish: "1s" } },
      async ({ step }) => {
        await step.run("long", () => new Promise((resolve) => setTimeout(() => resolve("late"), 1500)));
        await step.run("next", () => ++next);
      },
    );
    const engine = await startEngine([fn]);
    await engine.send({ id: "f2", name: "app/job", data: {} });
    const run = await engine.waitForRun(engine.runId("long-step", "f2"), "cancelled");
    assert.deepEqual(
      run.steps.map((step) => `${step.id}:${step.status}`),
      ["long:completed"],
    );
    assert.equal(next, 0);
  });
});

describe("priority", () => {
  test("runs waiting for a concurrency slot start in priority order, then arrival order", async () => {
    const starts: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const fn = createFunction(
      { id: "ranked", triggers: [{ event: "app/job" }], concurrency: 1, priority: { run: "event.data.priority" } },
      async ({ event, step }) => {
        await step.run("work", async () => {
          starts.push(event.id);
          if (event.id === "blocker") await held;
        });
      },
    );
    const engine = await startEngine([fn]);
    const keys = bridgeKeys(engine.prefix);
    const line = keys.concurrencyLine("fn:ranked", "");
    await engine.send({ id: "blocker", name: "app/job", data: { priority: 0 } });
    await waitUntil(async () => starts.length === 1);
    let waiting = 0;
    for (const [id, priority] of [
      ["low-1", 0],
      ["low-2", 0],
      ["urgent", 300],
    ] as const) {
      await engine.send({ id, name: "app/job", data: { priority } });
      waiting++;
      await waitUntil(async () => (await engine.redis.zcard(line)) === waiting); // in line before the next arrives
    }
    release();
    for (const id of ["low-1", "low-2", "urgent"])
      await engine.waitForRun(engine.runId("ranked", id), "completed", 30_000);
    assert.deepEqual(starts, ["blocker", "urgent", "low-1", "low-2"]);
  });

  test("a negative priority delays the start by that many seconds", async () => {
    const fn = createFunction({ id: "later", triggers: [{ event: "app/job" }], priority: { run: "-2" } }, () => "ran");
    const engine = await startEngine([fn]);
    await engine.send({ id: "n1", name: "app/job", data: {} });
    const run = await engine.waitForRun(engine.runId("later", "n1"), "completed");
    assert.equal((run.scheduledFor as number) - run.createdAt, 2000);
    assert.ok((run.startedAt as number) >= (run.scheduledFor as number));
  });
});
