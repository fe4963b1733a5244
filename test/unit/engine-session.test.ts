import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createRunSession, type SessionEffects } from "../../src/engine/run-session.ts";
import type { StepState } from "../../src/engine/run-state.ts";
import type { StepTools } from "../../src/engine/types.ts";

/** A session over an in-memory step store: what the executor does with Redis, without Redis. */
function memorySession(stored: Map<string, StepState>, log: string[] = [], now = () => 1000) {
  const effects: SessionEffects = {
    async saveStep(step) {
      log.push(`save ${step.id} ${step.status}`);
      stored.set(step.id, step);
    },
    async beginWait(step) {
      stored.set(step.id, step);
    },
    async timeOutWait(step) {
      stored.set(step.id, step);
      return true;
    },
    async sendEvents(stepId, drafts) {
      return drafts.map((_, index) => `${stepId}.${index}`);
    },
  };
  return createRunSession({ steps: new Map(stored), retries: 2, retryBaseMs: 100, effects, now });
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
    assert.deepEqual(await first.settle(handler(first.tools, firstCalls)), { kind: "suspended", until: 1000 + 3_600_000, status: "sleeping" });
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
      await session.settle(async () => sent.push((await session.tools.sendEvent("notify", [{ name: "a", data: {} }])).ids));
    }
    assert.deepEqual(sent[0], sent[1]);
  });
});

describe("the end of memoization", () => {
  const stepOf = (id: string, seq: number, status: StepState["status"], extra: Partial<StepState> = {}): StepState => ({
    id, seq, name: id, op: "run", status, attempts: 1, startedAt: 0, ...extra,
  });

  /** Runs the handler over `stored`, logging "log:<line>" while memoization is over. */
  async function replay(stored: Map<string, StepState>, handler: (step: StepTools, say: (line: string) => void) => Promise<unknown>, now = 1000) {
    const heard: string[] = [];
    let memoizing = stored.size > 0;
    const session = createRunSession({
      steps: new Map(stored),
      retries: 2,
      retryBaseMs: 100,
      now: () => now,
      effects: { saveStep: async (step) => void stored.set(step.id, step), beginWait: async () => {}, timeOutWait: async () => true, sendEvents: async () => [] },
      onMemoizationEnd: () => (memoizing = false),
    });
    await session.settle(() => handler(session.tools, (line) => memoizing || heard.push(line)));
    return heard;
  }

  test("comes once every stored step was returned, so code after the last one speaks", async () => {
    const stored = new Map([["a", stepOf("a", 0, "completed", { output: 1 })], ["b", stepOf("b", 1, "completed", { output: 2 })]]);
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
