import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createStepIdAllocator, planStep, type StepPlan, type StepRequest } from "../../src/engine/replay.ts";
import type { StepState } from "../../src/engine/run-state.ts";

const NOW = 1_000_000;
const step = (fields: Partial<StepState>): StepState => ({ id: "s", name: "s", op: "run", status: "completed", attempts: 1, startedAt: 0, ...fields });
const run: StepRequest = { op: "run" };

describe("planStep: given stored step state, the replay decision", () => {
  const cases: Array<[string, StepState | undefined, StepRequest, StepPlan]> = [
    ["a new step.run executes", undefined, run, { kind: "execute" }],
    ["a completed step returns its stored output", step({ output: { a: 1 } }), run, { kind: "return", value: { a: 1 } }],
    ["a completed step with no output returns null", step({}), run, { kind: "return", value: null }],
    ["a failed step throws its stored error", step({ status: "failed", error: { name: "Error", message: "x" } }), run, { kind: "throw", error: { name: "Error", message: "x" } }],
    ["a retry that is due executes again", step({ status: "retrying", retryAt: NOW - 1 }), run, { kind: "execute" }],
    ["a retry not yet due suspends until it is", step({ status: "retrying", retryAt: NOW + 500 }), run, { kind: "suspend", until: NOW + 500 }],
    ["a new sendEvent executes", undefined, { op: "sendEvent" }, { kind: "execute" }],
    ["a new sleep begins", undefined, { op: "sleep", wakeAt: NOW + 10 }, { kind: "begin-sleep", until: NOW + 10 }],
    ["a new sleep already due ends at once", undefined, { op: "sleep", wakeAt: NOW }, { kind: "end-sleep" }],
    ["a stored sleep keeps its first wake time", step({ op: "sleep", status: "sleeping", wakeAt: NOW + 5 }), { op: "sleep", wakeAt: NOW + 99 }, { kind: "suspend", until: NOW + 5 }],
    ["a stored sleep that is due ends", step({ op: "sleep", status: "sleeping", wakeAt: NOW - 5 }), { op: "sleep", wakeAt: NOW + 99 }, { kind: "end-sleep" }],
    ["a completed sleep returns", step({ op: "sleep", output: null }), { op: "sleep", wakeAt: NOW + 99 }, { kind: "return", value: null }],
    ["a new wait begins", undefined, { op: "waitForEvent", timeoutAt: NOW + 7 }, { kind: "begin-wait", until: NOW + 7 }],
    ["a pending wait suspends until its timeout", step({ op: "waitForEvent", status: "waiting", wakeAt: NOW + 7 }), { op: "waitForEvent", timeoutAt: NOW + 99 }, { kind: "suspend", until: NOW + 7 }],
    ["a wait past its timeout times out", step({ op: "waitForEvent", status: "waiting", wakeAt: NOW }), { op: "waitForEvent", timeoutAt: NOW + 99 }, { kind: "time-out-wait" }],
    ["a wait an event resolved returns the event", step({ op: "waitForEvent", output: { id: "e" } }), { op: "waitForEvent", timeoutAt: NOW }, { kind: "return", value: { id: "e" } }],
  ];
  for (const [name, stored, request, expected] of cases) {
    test(name, () => assert.deepEqual(planStep(stored, request, NOW), expected));
  }
});

describe("step ids used more than once (Inngest's rule)", () => {
  test("repeats get :1, :2 in order of discovery", () => {
    const allocate = createStepIdAllocator();
    assert.deepEqual(["a", "a", "b", "a"].map(allocate), ["a", "a:1", "b", "a:2"]);
  });

  test("a suffixed id already used explicitly is skipped", () => {
    const allocate = createStepIdAllocator();
    assert.deepEqual(["a", "a:1", "a"].map(allocate), ["a", "a:1", "a:2"]);
  });
});
