import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createFunction, NonRetriableError, StepError } from "../../src/client/index.ts";
import { promoteRunJob } from "../../src/queue/run-jobs.ts";
import { bridgeKeys } from "../../src/redis/keys.ts";
import { engineForEachTest } from "../helpers/engine-harness.ts";

const startEngine = engineForEachTest();

const on = (event: string) => [{ event }];

describe("step.invoke", () => {
  test("starts the other function's run and resumes with its return value", async () => {
    let childCalls = 0;
    const square = createFunction({ id: "square", triggers: on("math/square") }, async ({ event, step }) => {
      childCalls++;
      return step.run("compute", () => ({
        square: event.data.n * event.data.n,
        meta: event.data._inngest,
        name: event.name,
      }));
    });
    const parent = createFunction({ id: "caller", triggers: on("app/go") }, async ({ step }) => {
      const result = await step.invoke<{ square: number }>("square-it", {
        function: square,
        data: { n: 7 },
        timeout: "1m",
      });
      return step.run("after", () => result);
    });
    const engine = await startEngine([parent, square]);
    await engine.send({ id: "g1", name: "app/go", data: {} });
    const run = await engine.waitForRun(engine.runId("caller", "g1"), "completed");
    const output = run.output as { square: number; meta: Record<string, unknown>; name: string };
    assert.equal(output.square, 49);
    assert.equal(output.name, "inngest/function.invoked");
    assert.deepEqual(output.meta, {
      fn_id: "square",
      correlation_id: `${run.id}.square-it`,
      source_fn_id: "caller",
      source_run_id: run.id,
    });
    const step = run.steps.find((s) => s.id === "square-it");
    assert.equal(step?.op, "invoke");
    assert.equal(step?.status, "completed");
    const child = await engine.waitForRun(step?.invoke?.runId as string, "completed");
    assert.deepEqual([child.functionId, child.parentRunId, child.parentStepId], ["square", run.id, "square-it"]);
    assert.equal(childCalls, 1);
  });

  test("a failed invoked run throws a StepError with its error's name and message", async () => {
    const child = createFunction({ id: "refuser", triggers: on("x/refuse"), retries: 0 }, async () => {
      throw new NonRetriableError("no such account");
    });
    const parent = createFunction({ id: "asker", triggers: on("app/go") }, async ({ step }) => {
      try {
        await step.invoke("ask", { function: child, data: {} });
        return "not reached";
      } catch (error) {
        return {
          isStepError: error instanceof StepError,
          name: (error as Error).name,
          message: (error as Error).message,
        };
      }
    });
    const engine = await startEngine([parent, child]);
    await engine.send({ id: "g2", name: "app/go", data: {} });
    const run = await engine.waitForRun(engine.runId("asker", "g2"), "completed");
    assert.deepEqual(run.output, { isStepError: true, name: "NonRetriableError", message: "no such account" });
    assert.equal(run.steps[0]?.status, "failed");
  });

  test("an invoke not answered in time throws InngestInvokeTimeoutError; the invoked run goes on", async () => {
    const slow = createFunction({ id: "slow", triggers: on("x/slow") }, async ({ step }) => {
      await step.sleep("nap", "2s");
      return "late";
    });
    const parent = createFunction({ id: "impatient", triggers: on("app/go") }, async ({ step }) => {
      // Uncaught: the run fails at once with the step's error.
      await step.invoke("wait-for-slow", { function: slow, data: {}, timeout: "500ms" });
    });
    const engine = await startEngine([parent, slow]);
    await engine.send({ id: "g3", name: "app/go", data: {} });
    const run = await engine.waitForRun(engine.runId("impatient", "g3"), "failed");
    assert.deepEqual(
      [run.error?.name, run.error?.message],
      ["InngestInvokeTimeoutError", "Timed out waiting for invoked function to complete"],
    );
    assert.equal(run.attempt, 0, "no retry of the handler after a StepError");
    const child = await engine.waitForRun(run.steps[0]?.invoke?.runId as string, "completed");
    assert.equal(child.output, "late");
    assert.equal(
      (await engine.store.getRun(run.id))?.steps[0]?.status,
      "failed",
      "the late result does not overwrite the timeout",
    );
  });

  test("a reference by bare id resolves through the registry; an unknown one fails the step", async () => {
    const double = createFunction({ id: "double", triggers: on("math/double") }, ({ event }) => event.data.n * 2);
    const parent = createFunction({ id: "by-reference", triggers: on("app/go") }, async ({ step }) => {
      const doubled = await step.invoke<number>("double", { function: { functionId: "double" }, data: { n: 21 } });
      const missing = await step
        .invoke("missing", { function: { functionId: "nope", appId: "other-app" } })
        .catch((error: Error) => error.message);
      return { doubled, missing };
    });
    const engine = await startEngine([parent, double]);
    await engine.send({ id: "g4", name: "app/go", data: {} });
    const run = await engine.waitForRun(engine.runId("by-reference", "g4"), "completed");
    assert.deepEqual(run.output, {
      doubled: 42,
      missing: 'step.invoke("missing"): no function "other-app-nope" is registered on this bridge',
    });
  });

  test("a cancelled invoked run fails the invoking step", async () => {
    const sleeper = createFunction({ id: "sleeper", triggers: on("x/sleep") }, async ({ step }) => {
      await step.sleep("long", "1h");
    });
    const parent = createFunction({ id: "waits-on-sleeper", triggers: on("app/go") }, async ({ step }) => {
      await step.invoke("sleep", { function: sleeper, data: {} });
    });
    const engine = await startEngine([parent, sleeper]);
    await engine.send({ id: "g5", name: "app/go", data: {} });
    const runId = engine.runId("waits-on-sleeper", "g5");
    const waiting = await engine.waitForRun(runId, "waiting");
    const childId = waiting.steps[0]?.invoke?.runId as string;
    await engine.waitForRun(childId, "sleeping");
    await engine.store.cancelRun(childId, "no longer needed");
    const run = await engine.waitForRun(runId, "failed");
    assert.equal(run.error?.name, "FunctionCancelledError");
    assert.match(run.error?.message ?? "", /was cancelled: no longer needed/);
  });

  test("an operator's retry of the invoking run invokes a fresh run", async () => {
    let attempts = 0;
    const flaky = createFunction({ id: "fails-once", triggers: on("x/once"), retries: 0 }, () => {
      if (++attempts === 1) throw new Error("first time fails");
      return "second time works";
    });
    const parent = createFunction({ id: "retried-parent", triggers: on("app/go") }, async ({ step }) =>
      step.invoke("call", { function: flaky, data: {} }),
    );
    const engine = await startEngine([parent, flaky]);
    await engine.send({ id: "g8", name: "app/go", data: {} });
    const runId = engine.runId("retried-parent", "g8");
    const failed = await engine.waitForRun(runId, "failed");
    assert.equal(failed.error?.message, "first time fails");
    await engine.store.retryRun(runId);
    const run = await engine.waitForRun(runId, "completed");
    assert.equal(run.output, "second time works");
    assert.notEqual(run.steps[0]?.invoke?.runId, failed.steps[0]?.invoke?.runId);
    assert.equal(attempts, 2);
  });

  test("a replay while the invoke waits (a sibling's retry) starts no second run", async () => {
    let childCalls = 0;
    let flaky = 0;
    const child = createFunction({ id: "counted", triggers: on("x/count") }, async ({ step }) => {
      childCalls++;
      await step.sleep("hold", "1s"); // still running when the parent replays for its retry
      return "done";
    });
    const parent = createFunction({ id: "with-sibling", triggers: on("app/go") }, async ({ step }) => {
      const [result] = await Promise.all([
        step.invoke("call", { function: child, data: {} }),
        step.run("flaky", () => {
          if (++flaky < 3) throw new Error("not yet");
          return "ok";
        }),
      ]);
      return result;
    });
    const engine = await startEngine([parent, child]);
    await engine.send({ id: "g6", name: "app/go", data: {} });
    const run = await engine.waitForRun(engine.runId("with-sibling", "g6"), "completed");
    assert.equal(run.output, "done");
    assert.equal(flaky, 3);
    const runs = await engine.store.listRuns({ functionId: "counted", limit: 10 });
    assert.equal(runs.items.length, 1);
    assert.equal(childCalls, 2, "the child ran once, replayed once after its sleep");
  });

  test("an invoked run whose job was lost is queued again by the next replay of its parent", async () => {
    let hold = true;
    const child = createFunction({ id: "lost-child", triggers: on("x/lost") }, async ({ step }) => {
      if (hold) await step.sleep("hold", "1h");
      return "found";
    });
    const parent = createFunction({ id: "lost-parent", triggers: on("app/go") }, async ({ step }) =>
      step.invoke("call", { function: child, data: {} }),
    );
    const engine = await startEngine([parent, child]);
    await engine.send({ id: "g7", name: "app/go", data: {} });
    const runId = engine.runId("lost-parent", "g7");
    const waiting = await engine.waitForRun(runId, "waiting");
    const childId = waiting.steps[0]?.invoke?.runId as string;
    await engine.waitForRun(childId, "sleeping");
    // As if a crash had come between creating the child's run and adding its job.
    await engine.runsQueue.remove(childId);
    await engine.redis
      .multi()
      .hset(bridgeKeys(engine.prefix).run(childId), "status", "queued")
      .hdel(bridgeKeys(engine.prefix).run(childId), "step:hold")
      .exec();
    hold = false;
    await promoteRunJob(engine.runsQueue, runId); // the parent replays (a sibling's retry would do the same)
    assert.equal((await engine.waitForRun(runId, "completed")).output, "found");
  });
});
