import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { InvokeRequest } from "../../src/engine/execution/invoke-step.ts";
import { createRunSession, type SessionEffects } from "../../src/engine/execution/run-session.ts";
import type { StepState } from "../../src/engine/store/run-state.ts";
import type { BeginResult } from "../../src/engine/execution/run-step.ts";
import { createFunction, NonRetriableError, StepError } from "../../src/client/index.ts";
import type { StepTools } from "../../src/engine/definition/types.ts";
import { quietEffects } from "../helpers/session-effects.ts";

interface Memory {
  invoked: InvokeRequest[];
  signalAnswer?: BeginResult;
}

/** A session over an in-memory step store: what the executor does with Redis, without Redis. */
function memorySession(
  stored: Map<string, StepState>,
  log: string[] = [],
  now = () => 1000,
  memory: Memory = { invoked: [] },
) {
  const effects: SessionEffects = {
    async saveStep(step) {
      log.push(`save ${step.id} ${step.status}`);
      stored.set(step.id, step);
    },
    async beginWait(step) {
      stored.set(step.id, step);
    },
    async beginInvoke(step, request) {
      memory.invoked.push(request);
      stored.set(step.id, step);
      return { kind: "waiting" };
    },
    async beginSignalWait(step) {
      if (memory.signalAnswer && memory.signalAnswer.kind !== "waiting") return memory.signalAnswer;
      stored.set(step.id, step);
      return { kind: "waiting" };
    },
    async sendSignal(signal) {
      return { runId: signal === "nobody" ? undefined : "r-waiting" };
    },
    async timeOutWait(step) {
      stored.set(step.id, step);
      return true;
    },
    async sendEvents(stepId, drafts) {
      return drafts.map((_, index) => `${stepId}.${index}`);
    },
    fetch: () => Promise.reject(new Error("no network in a unit test")),
  };
  const session = createRunSession({ steps: new Map(stored), retries: 2, retryBaseMs: 100, effects, now });
  return { ...session, run: (handler: (tools: StepTools) => unknown) => session.settle(() => handler(session.tools)) };
}

describe("a run session", () => {
  test("each step is stored before the handler goes on", async () => {
    const log: string[] = [];
    const session = memorySession(new Map(), log);
    const outcome = await session.settle(async () => {
      await session.tools.run("a", () => log.push("run a"));
      log.push("handler after a");
      return session.tools.run("b", () => "b");
    });
    assert.deepEqual(outcome, { kind: "completed", output: "b" });
    assert.deepEqual(log, ["run a", "save a completed", "handler after a", "save b completed"]);
  });

  test("a replay returns stored results without calling the steps", async () => {
    const stored = new Map<string, StepState>();
    const handler = (step: StepTools, calls: string[]) => async () => {
      const a = await step.run("a", () => (calls.push("a"), 1));
      await step.sleep("nap", "1h");
      return a + (await step.run("b", () => (calls.push("b"), 2)));
    };
    const firstCalls: string[] = [];
    const first = memorySession(stored);
    assert.deepEqual(await first.settle(handler(first.tools, firstCalls)), {
      kind: "suspended",
      until: 1000 + 3_600_000,
      status: "sleeping",
    });
    const laterCalls: string[] = [];
    const later = memorySession(stored, [], () => 1000 + 3_600_000);
    assert.deepEqual(await later.settle(handler(later.tools, laterCalls)), { kind: "completed", output: 3 });
    assert.deepEqual([firstCalls, laterCalls], [["a"], ["b"]]);
  });

  test("a failing parallel step suspends for its retry once its siblings are stored", async () => {
    const stored = new Map<string, StepState>();
    const session = memorySession(stored);
    const outcome = await session.settle(() =>
      Promise.all([
        session.tools.run("fails", () => {
          throw new Error("down");
        }),
        session.tools.run("slow-sibling", async () => {
          await new Promise((resolve) => setTimeout(resolve, 20));
          return "ok";
        }),
      ]),
    );
    assert.equal(outcome.kind, "suspended");
    assert.equal(stored.get("fails")?.status, "retrying");
    assert.equal(stored.get("slow-sibling")?.status, "completed");
  });

  test("sendEvent ids derive from the step id, so a replay after a crash sends the same ids", async () => {
    const sent: string[][] = [];
    for (let i = 0; i < 2; i++) {
      const session = memorySession(new Map()); // nothing stored: as if the first save was lost
      await session.settle(async () =>
        sent.push((await session.tools.sendEvent("notify", [{ name: "a", data: {} }])).ids),
      );
    }
    assert.deepEqual(sent[0], sent[1]);
  });

  test("step.run calls its callback with the extra arguments and stores them as the step's input", async () => {
    const stored = new Map<string, StepState>();
    const session = memorySession(stored);
    const outcome = await session.run((step) => step.run("add", (a: number, b: { c: number }) => a + b.c, 2, { c: 3 }));
    assert.deepEqual(outcome, { kind: "completed", output: 5 });
    assert.deepEqual(stored.get("add")?.input, [2, { c: 3 }]);
  });

  test("step.invoke waits for the invoked run, then returns its output on the replay", async () => {
    const stored = new Map<string, StepState>();
    const memory: Memory = { invoked: [] };
    const target = createFunction(
      { id: "square", triggers: [{ event: "math/square" }] },
      ({ event }) => event.data.n * event.data.n,
    );
    const handler = (step: StepTools) => step.invoke("square", { function: target, data: { n: 4 }, timeout: "1h" });
    const first = await memorySession(stored, [], () => 1000, memory).run(handler);
    assert.deepEqual(first, { kind: "suspended", until: 1000 + 3_600_000, status: "waiting" });
    assert.deepEqual(memory.invoked, [{ target: { kind: "function", id: "square" }, data: { n: 4 } }]);
    stored.set("square", { ...(stored.get("square") as StepState), status: "completed", output: 16 });
    assert.deepEqual(await memorySession(stored).run(handler), { kind: "completed", output: 16 });
  });

  test("step.invoke accepts a reference, and an invoke past its timeout throws InngestInvokeTimeoutError", async () => {
    const stored = new Map<string, StepState>();
    const memory: Memory = { invoked: [] };
    const handler = (step: StepTools) =>
      step
        .invoke("ref", { function: { functionId: "square", appId: "math" }, timeout: 60_000 })
        .catch((error: unknown) => ({
          isStepError: error instanceof StepError,
          name: (error as Error).name,
          message: (error as Error).message,
        }));
    await memorySession(stored, [], () => 1000, memory).run(handler);
    assert.deepEqual(memory.invoked[0]?.target, { kind: "reference", functionId: "square", appId: "math" });
    const late = await memorySession(stored, [], () => 1000 + 60_000).run(handler);
    assert.deepEqual(late, {
      kind: "completed",
      output: {
        isStepError: true,
        name: "InngestInvokeTimeoutError",
        message: "Timed out waiting for invoked function to complete",
      },
    });
    assert.equal(stored.get("ref")?.status, "failed");
  });

  test("a signal another run waits for fails the run at once, even if the handler catches it", async () => {
    const stored = new Map<string, StepState>();
    const calls: string[] = [];
    const conflict = new NonRetriableError("Signal conflict; signal wait already exists for another run");
    const session = memorySession(stored, [], () => 1000, {
      invoked: [],
      signalAnswer: { kind: "abort", error: conflict },
    });
    const outcome = await session.run(async (step) => {
      await step.waitForSignal("wait", { signal: "order-1", timeout: "1h" }).catch(() => null);
      calls.push("after the wait");
    });
    assert.equal(outcome.kind, "failed");
    assert.match((outcome as { error: Error }).error.message, /Signal conflict/);
    assert.deepEqual(calls, []);
    assert.equal(stored.get("wait")?.status, "failed");
  });

  test("sendSignal stores who it resumed; waitForSignal suspends until its timeout", async () => {
    const stored = new Map<string, StepState>();
    const sent = await memorySession(stored).run((step) =>
      step.sendSignal("send", { signal: "order-1", data: { ok: true } }),
    );
    assert.deepEqual(sent, { kind: "completed", output: { runId: "r-waiting" } });
    const waited = await memorySession(stored).run((step) =>
      step.waitForSignal("wait", { signal: "order-2", timeout: "10s" }),
    );
    assert.deepEqual(waited, { kind: "suspended", until: 11_000, status: "waiting" });
    assert.equal(stored.get("wait")?.signal, "order-2");
  });

  const failsAtOnce: Array<[string, (step: StepTools) => unknown, RegExp]> = [
    [
      "an invalid invoke timeout",
      (step) => step.invoke("i", { function: { functionId: "x" }, timeout: "soon" }),
      /step\.invoke\("i"\) timeout: "soon" is not a duration/,
    ],
    [
      "an invoke of something that is not a function",
      (step) => step.invoke("i", { function: "x" as never }),
      /step\.invoke\("i"\): invalid invocation options/,
    ],
    [
      "an invalid waitForSignal timeout",
      (step) => step.waitForSignal("w", { signal: "s", timeout: "1 fortnight" }),
      /step\.waitForSignal\("w"\) timeout/,
    ],
    [
      "a waitForSignal without a signal",
      (step) => step.waitForSignal("w", { signal: "", timeout: "1h" }),
      /step\.waitForSignal\("w"\): signal/,
    ],
    ["an invalid sleep", (step) => step.sleep("nap", "a while"), /step\.sleep\("nap"\)/],
    ["an invalid sleepUntil", (step) => step.sleepUntil("nap", "someday"), /step\.sleepUntil\("nap"\)/],
    [
      "a waitForEvent timeout that is not a duration",
      (step) => step.waitForEvent("w", { event: "a", timeout: "later" }),
      /step\.waitForEvent\("w"\) timeout/,
    ],
    [
      "step.ai.infer, which the bridge does not run",
      (step) => step.ai.infer("ask", { model: {}, body: {} }),
      /step\.ai\.infer is not supported/,
    ],
    [
      "step.ai.models.openai",
      (step) => step.ai.models.openai({ model: "gpt" }),
      /step\.ai\.models\.openai is not supported/,
    ],
    ["step.realtime.publish", (step) => step.realtime.publish("p", {}, {}), /step\.realtime\.publish is not supported/],
    ["a step.fetch of a relative URL", (step) => step.fetch("/api"), /step\.fetch: "\/api" is not an absolute URL/],
  ];
  for (const [name, call, message] of failsAtOnce) {
    test(`${name} fails the run at once with a NonRetriableError naming it`, async () => {
      const outcome = await memorySession(new Map()).run(async (step) => call(step));
      assert.equal(outcome.kind, "failed");
      const error = (outcome as { error: Error }).error;
      assert.equal(error.name, "NonRetriableError");
      assert.match(error.message, message);
    });
  }

  test("step.ai.wrap is a step.run: its callback runs once with its input, stored", async () => {
    const stored = new Map<string, StepState>();
    const outcome = await memorySession(stored).run((step) =>
      step.ai.wrap("summarise", (text: string) => text.slice(0, 5), "hello world"),
    );
    assert.deepEqual(outcome, { kind: "completed", output: "hello" });
    assert.deepEqual([stored.get("summarise")?.op, stored.get("summarise")?.input], ["run", ["hello world"]]);
  });

  test("group.parallel runs its callback (with or without options), and group.experiment fails loudly", async () => {
    const session = memorySession(new Map());
    const outcome = await session.settle(async () => {
      const raced = await session.group.parallel({ mode: "race" }, () =>
        Promise.race([session.tools.run("a", () => "a"), session.tools.run("b", () => "b")]),
      );
      const all = await session.group.parallel(() =>
        Promise.all([session.tools.run("c", () => 1), session.tools.run("d", () => 2)]),
      );
      return { raced, all };
    });
    assert.deepEqual(outcome, { kind: "completed", output: { raced: "a", all: [1, 2] } });
    assert.throws(() => session.group.experiment("x", {}), /group\.experiment is not supported/);
  });
});

describe("the end of memoization", () => {
  const stepOf = (id: string, seq: number, status: StepState["status"], extra: Partial<StepState> = {}): StepState => ({
    id,
    seq,
    name: id,
    op: "run",
    status,
    attempts: 1,
    startedAt: 0,
    ...extra,
  });

  /** Runs the handler over `stored`, logging "log:<line>" while memoization is over. */
  async function replay(
    stored: Map<string, StepState>,
    handler: (step: StepTools, say: (line: string) => void) => Promise<unknown>,
    now = 1000,
  ) {
    const heard: string[] = [];
    let memoizing = stored.size > 0;
    const session = createRunSession({
      steps: new Map(stored),
      retries: 2,
      retryBaseMs: 100,
      now: () => now,
      effects: quietEffects({ saveStep: async (step) => void stored.set(step.id, step) }),
      onMemoizationEnd: () => (memoizing = false),
    });
    await session.settle(() => handler(session.tools, (line) => memoizing || heard.push(line)));
    return heard;
  }

  test("comes once every stored step was returned, so code after the last one speaks", async () => {
    const stored = new Map([
      ["a", stepOf("a", 0, "completed", { output: 1 })],
      ["b", stepOf("b", 1, "completed", { output: 2 })],
    ]);
    const heard = await replay(stored, async (step, say) => {
      say("before a");
      await step.run("a", () => 0);
      say("between");
      await step.run("b", () => 0);
      say("after b");
    });
    assert.deepEqual(heard, ["after b"]);
  });

  test("comes at a stored sleep that is due, so a line before the sleep is said once across both executions", async () => {
    const stored = new Map<string, StepState>();
    const handler = async (step: StepTools, say: (line: string) => void) => {
      say("before the nap");
      await step.sleep("nap", "1s");
      say("after the nap");
    };
    const first = await replay(stored, handler, 1000);
    const second = await replay(stored, handler, 5000);
    assert.deepEqual([first, second], [["before the nap"], ["after the nap"]]);
  });
});
