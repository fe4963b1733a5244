import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createFunction, Inngest } from "../../src/client/index.ts";
import { sendSignal, type SignalDeps } from "../../src/engine/execution/signals.ts";
import { bridgeKeys } from "../../src/redis/keys.ts";
import { engineForEachTest, type TestEngine } from "../helpers/engine-harness.ts";

const startEngine = engineForEachTest();

const on = (event: string) => [{ event }];
const signalDeps = (e: TestEngine): SignalDeps => ({
  redis: e.redis,
  keys: bridgeKeys(e.prefix),
  runsQueue: e.runsQueue,
});

/** Waits for the signal named in the event; `onConflict` and `timeout` come from the event too. */
const waiter = createFunction({ id: "waiter", triggers: on("app/wait") }, async ({ event, step }) => {
  const signal = await step.waitForSignal("wait", {
    signal: event.data.signal,
    timeout: event.data.timeout ?? "1m",
    onConflict: event.data.onConflict,
  });
  return signal ?? "timed out";
});

describe("step.waitForSignal and sendSignal", () => {
  test("a run waiting for a signal resumes with it when another run sends it with step.sendSignal", async () => {
    const sender = createFunction({ id: "sender", triggers: on("app/send") }, async ({ event, step }) =>
      step.sendSignal("send", { signal: event.data.signal, data: { approved: true } }),
    );
    const engine = await startEngine([waiter, sender]);
    await engine.send({ id: "w1", name: "app/wait", data: { signal: "order-1" } });
    const waitingId = engine.runId("waiter", "w1");
    const waiting = await engine.waitForRun(waitingId, "waiting");
    assert.deepEqual([waiting.steps[0]?.op, waiting.steps[0]?.signal], ["waitForSignal", "order-1"]);
    await engine.send({ id: "s1", name: "app/send", data: { signal: "order-1" } });
    const sent = await engine.waitForRun(engine.runId("sender", "s1"), "completed");
    assert.deepEqual(sent.output, { runId: waitingId });
    const resumed = await engine.waitForRun(waitingId, "completed");
    assert.deepEqual(resumed.output, { signal: "order-1", data: { approved: true } });
  });

  test("the process-level sendSignal resumes the waiting run, and answers no run when nobody waits", async () => {
    const engine = await startEngine([waiter]);
    assert.deepEqual(await sendSignal(signalDeps(engine), { signal: "nobody-waits", data: 1 }), { runId: undefined });
    await engine.send({ id: "w2", name: "app/wait", data: { signal: "order-2" } });
    const runId = engine.runId("waiter", "w2");
    await engine.waitForRun(runId, "waiting");
    assert.deepEqual(await sendSignal(signalDeps(engine), { signal: "order-2", data: [1, 2] }), { runId });
    assert.deepEqual((await engine.waitForRun(runId, "completed")).output, { signal: "order-2", data: [1, 2] });
    assert.deepEqual(
      await sendSignal(signalDeps(engine), { signal: "order-2" }),
      { runId: undefined },
      "a signal is delivered once",
    );
  });

  test("inngest.sendSignal() from anywhere in the process resumes the waiting run", async () => {
    const inngest = new Inngest({ id: "signals-app" });
    const approval = inngest.createFunction({ id: "approval", triggers: on("app/approve") }, async ({ step }) =>
      step.waitForSignal("approved", { signal: "invoice-7", timeout: "1m" }),
    );
    const engine = await startEngine([approval]);
    await engine.send({ id: "a1", name: "app/approve", data: {} });
    const runId = engine.runId("signals-app-approval", "a1");
    await engine.waitForRun(runId, "waiting");
    assert.deepEqual(await inngest.sendSignal({ signal: "invoice-7", data: { by: "ada" } }), { runId });
    assert.deepEqual((await engine.waitForRun(runId, "completed")).output, {
      signal: "invoice-7",
      data: { by: "ada" },
    });
  });

  test("a second run waiting for the same signal fails at once; with onConflict replace it takes it over", async () => {
    const engine = await startEngine([waiter]);
    await engine.send({ id: "first", name: "app/wait", data: { signal: "shared", timeout: "3s" } });
    const first = engine.runId("waiter", "first");
    await engine.waitForRun(first, "waiting");
    await engine.send({ id: "second", name: "app/wait", data: { signal: "shared" } });
    const second = await engine.waitForRun(engine.runId("waiter", "second"), "failed");
    assert.equal(second.error?.name, "NonRetriableError");
    assert.match(second.error?.message ?? "", /^Signal conflict; signal wait already exists for another run/);
    assert.equal(second.attempt, 0);
    await engine.send({ id: "third", name: "app/wait", data: { signal: "shared", onConflict: "replace" } });
    const third = engine.runId("waiter", "third");
    await engine.waitForRun(third, "waiting");
    assert.deepEqual(await sendSignal(signalDeps(engine), { signal: "shared", data: "go" }), { runId: third });
    assert.deepEqual((await engine.waitForRun(third, "completed")).output, { signal: "shared", data: "go" });
    assert.equal((await engine.waitForRun(first, "completed")).output, "timed out", "the replaced wait times out");
  });

  test("a wait that timed out gets null and frees the signal for another run", async () => {
    const engine = await startEngine([waiter]);
    await engine.send({ id: "t1", name: "app/wait", data: { signal: "brief", timeout: "300ms" } });
    assert.equal((await engine.waitForRun(engine.runId("waiter", "t1"), "completed")).output, "timed out");
    await engine.send({ id: "t2", name: "app/wait", data: { signal: "brief" } });
    const next = engine.runId("waiter", "t2");
    await engine.waitForRun(next, "waiting");
    assert.deepEqual(await sendSignal(signalDeps(engine), { signal: "brief", data: null }), { runId: next });
  });

  test("a run cancelled while waiting frees its signal", async () => {
    const engine = await startEngine([waiter]);
    await engine.send({ id: "c1", name: "app/wait", data: { signal: "cancelled-one" } });
    const cancelled = engine.runId("waiter", "c1");
    await engine.waitForRun(cancelled, "waiting");
    await engine.store.cancelRun(cancelled);
    await engine.waitForRun(cancelled, "cancelled");
    // The executor's wind-up frees it (the wait's own expiry is a minute away).
    const key = bridgeKeys(engine.prefix).signal("cancelled-one");
    for (let i = 0; i < 400 && (await engine.redis.exists(key)); i++)
      await new Promise((resolve) => setTimeout(resolve, 25));
    assert.equal(await engine.redis.exists(key), 0);
    await engine.send({ id: "c2", name: "app/wait", data: { signal: "cancelled-one" } });
    await engine.waitForRun(engine.runId("waiter", "c2"), "waiting");
  });
});
