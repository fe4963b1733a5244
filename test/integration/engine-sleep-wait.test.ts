import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createFunction } from "../../src/client/index.ts";
import { engineForEachTest } from "../helpers/engine-harness.ts";

const startEngine = engineForEachTest();

describe("step.sleep and step.sleepUntil", () => {
  test("a sleeping run leaves the worker and resumes when due, without re-running earlier steps", async () => {
    let before = 0;
    const fn = createFunction({ id: "nap", triggers: [{ event: "app/go" }] }, async ({ step }) => {
      await step.run("before", () => ++before);
      await step.sleep("nap", "1s");
      await step.sleepUntil("until", new Date(Date.now() - 1000)); // already due: no suspension
      return step.run("after", () => "awake");
    });
    const engine = await startEngine([fn]);
    await engine.send({ id: "s1", name: "app/go", data: {} });
    const runId = engine.runId("nap", "s1");
    const sleeping = await engine.waitForRun(runId, "sleeping");
    assert.equal(sleeping.steps.find((step) => step.id === "nap")?.status, "sleeping");
    const run = await engine.waitForRun(runId, "completed");
    assert.equal(run.output, "awake");
    assert.equal(before, 1);
    assert.deepEqual(
      run.steps.map((step) => `${step.id}:${step.status}`),
      ["before:completed", "nap:completed", "until:completed", "after:completed"],
    );
  });

  test("a run sleeping while every worker is stopped resumes on a new worker", async () => {
    const fn = createFunction({ id: "long-nap", triggers: [{ event: "app/go" }] }, async ({ step }) => {
      await step.sleep("nap", 1500);
      return "resumed";
    });
    const engine = await startEngine([fn]);
    await engine.send({ id: "s2", name: "app/go", data: {} });
    const runId = engine.runId("long-nap", "s2");
    await engine.waitForRun(runId, "sleeping");
    await engine.workers.close();
    await new Promise((resolve) => setTimeout(resolve, 1800)); // due while no worker runs
    await engine.restart();
    assert.equal((await engine.waitForRun(runId, "completed")).output, "resumed");
  });
});

describe("step.waitForEvent", () => {
  const approval = createFunction({ id: "approval", triggers: [{ event: "app/order.created" }] }, async ({ step }) => {
    const approved = await step.waitForEvent("wait-approval", {
      event: "app/order.approved",
      timeout: "2s",
      if: "event.data.orderId == async.data.orderId",
    });
    return approved ? `approved by ${approved.data.by}` : "timed out";
  });

  test("resumes with the first matching event, matched when it arrives", async () => {
    const engine = await startEngine([approval]);
    await engine.send({ id: "o1", name: "app/order.created", data: { orderId: "A" } });
    const runId = engine.runId("approval", "o1");
    await engine.waitForRun(runId, "waiting");
    await engine.send({ id: "x1", name: "app/order.approved", data: { orderId: "B", by: "wrong order" } });
    await engine.send({ id: "x2", name: "app/order.approved", data: { orderId: "A", by: "ada" } });
    const run = await engine.waitForRun(runId, "completed");
    assert.equal(run.output, "approved by ada");
    assert.equal((run.steps[0]?.output as { id: string }).id, "x2");
  });

  test("resumes with null at the timeout", async () => {
    const engine = await startEngine([approval]);
    await engine.send({ id: "o2", name: "app/order.created", data: { orderId: "C" } });
    const run = await engine.waitForRun(engine.runId("approval", "o2"), "completed");
    assert.equal(run.output, "timed out");
  });

  test("match compares a field of both events", async () => {
    const fn = createFunction({ id: "matcher", triggers: [{ event: "app/a" }] }, async ({ step }) => {
      const got = await step.waitForEvent("b", { event: "app/b", timeout: "10s", match: "data.key" });
      return got?.id;
    });
    const engine = await startEngine([fn]);
    await engine.send({ id: "a1", name: "app/a", data: { key: 7 } });
    await engine.waitForRun(engine.runId("matcher", "a1"), "waiting");
    await engine.send([
      { id: "b0", name: "app/b", data: { key: 8 } },
      { id: "b1", name: "app/b", data: { key: 7 } },
    ]);
    assert.equal((await engine.waitForRun(engine.runId("matcher", "a1"), "completed")).output, "b1");
  });
});

describe("cancelOn", () => {
  const drip = createFunction(
    {
      id: "drip",
      triggers: [{ event: "clerk/user.created" }],
      cancelOn: [{ event: "clerk/user.deleted", if: "event.data.id == async.data.id" }],
    },
    async ({ step }) => {
      await step.run("welcome", () => "sent");
      await step.sleep("wait", "1h");
      await step.run("offer", () => "sent");
    },
  );
  const cancelled: string[] = [];
  const listener = createFunction(
    { id: "cancel-listener", triggers: [{ event: "inngest/function.cancelled" }] },
    ({ event }) => {
      cancelled.push(`${event.data.function_id}:${event.data.run_id}`);
    },
  );

  test("cancels a sleeping run and emits inngest/function.cancelled", async () => {
    const engine = await startEngine([drip, listener]);
    await engine.send({ id: "u1c", name: "clerk/user.created", data: { id: "user_1" } });
    await engine.send({ id: "u2c", name: "clerk/user.created", data: { id: "user_2" } });
    const runId = engine.runId("drip", "u1c");
    await engine.waitForRun(runId, "sleeping");
    await engine.waitForRun(engine.runId("drip", "u2c"), "sleeping");
    await engine.send({ id: "u1d", name: "clerk/user.deleted", data: { id: "user_1", deleted: true } });
    const run = await engine.waitForRun(runId, "cancelled");
    assert.match(run.cancelReason ?? "", /clerk\/user.deleted/);
    await engine.waitForRun(engine.runId("cancel-listener", `${runId}.cancelled`), "completed");
    assert.deepEqual(cancelled, [`drip:${runId}`]);
    assert.equal((await engine.store.getRun(engine.runId("drip", "u2c")))?.status, "sleeping");
  });

  test("cancels a run still queued for a future ts", async () => {
    const engine = await startEngine([drip]);
    await engine.send({ id: "u3c", name: "clerk/user.created", data: { id: "user_3" }, ts: Date.now() + 60_000 });
    const runId = engine.runId("drip", "u3c");
    await engine.waitForRun(runId, "queued");
    await engine.send({ id: "u3d", name: "clerk/user.deleted", data: { id: "user_3" } });
    const run = await engine.waitForRun(runId, "cancelled");
    assert.equal(run.steps.length, 0);
  });

  test("an operator can cancel a run; a finished run cannot be cancelled", async () => {
    const engine = await startEngine([drip]);
    await engine.send({ id: "u4c", name: "clerk/user.created", data: { id: "user_4" } });
    const runId = engine.runId("drip", "u4c");
    await engine.waitForRun(runId, "sleeping");
    assert.equal((await engine.store.cancelRun(runId)).status, "cancelled");
    await assert.rejects(engine.store.cancelRun(runId), { name: "BridgeError", code: "conflict" });
    await assert.rejects(engine.store.cancelRun("r-missing"), { name: "BridgeError", code: "not_found" });
  });

  test("a run cancelled while its step runs ends cancelled once the step is done", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inStep = new Promise<void>((resolve) => (entered = resolve));
    const finished: string[] = [];
    const slow = createFunction({ id: "slow", triggers: [{ event: "app/slow" }] }, async ({ step }) =>
      step.run("long", async () => {
        entered();
        await gate;
        return "done";
      }),
    );
    const watcher = createFunction(
      { id: "watch-end", triggers: [{ event: "inngest/function.finished" }] },
      ({ event }) => {
        finished.push(event.data.status);
      },
    );
    const engine = await startEngine([slow, watcher]);
    await engine.send({ id: "sl1", name: "app/slow", data: {} });
    const runId = engine.runId("slow", "sl1");
    await inStep;
    await engine.store.cancelRun(runId);
    release();
    await engine.waitForRun(engine.runId("watch-end", `${runId}.finished`), "completed");
    assert.equal((await engine.store.getRun(runId))?.status, "cancelled");
    assert.deepEqual(finished, ["cancelled"]);
  });
});
