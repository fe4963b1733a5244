import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  createStepIdAllocator,
  INVOKE_TIMEOUT_ERROR,
  planStep,
  waitSettledMeanwhile,
  type StepPlan,
  type StepRequest,
} from "../../src/engine/execution/plan-step.ts";
import type { StepState } from "../../src/engine/store/run-state.ts";

const NOW = 1_000_000;
const step = (fields: Partial<StepState>): StepState => ({
  id: "s",
  name: "s",
  op: "run",
  status: "completed",
  attempts: 1,
  startedAt: 0,
  ...fields,
});
const run: StepRequest = { op: "run" };

describe("planStep: given stored step state, the step's plan", () => {
  const cases: Array<[string, StepState | undefined, StepRequest, StepPlan]> = [
    ["a new step.run executes", undefined, run, { kind: "execute" }],
    [
      "a completed step returns its stored output",
      step({ output: { a: 1 } }),
      run,
      { kind: "return", value: { a: 1 } },
    ],
    ["a completed step with no output returns null", step({}), run, { kind: "return", value: null }],
    [
      "a failed step throws its stored error",
      step({ status: "failed", error: { name: "Error", message: "x" } }),
      run,
      { kind: "throw", error: { name: "Error", message: "x" } },
    ],
    ["a retry that is due executes again", step({ status: "retrying", retryAt: NOW - 1 }), run, { kind: "execute" }],
    [
      "a retry not yet due suspends until it is",
      step({ status: "retrying", retryAt: NOW + 500 }),
      run,
      { kind: "suspend", until: NOW + 500 },
    ],
    ["a new sendEvent executes", undefined, { op: "sendEvent" }, { kind: "execute" }],
    ["a new sleep begins", undefined, { op: "sleep", wakeAt: NOW + 10 }, { kind: "begin-sleep", until: NOW + 10 }],
    ["a new sleep already due ends at once", undefined, { op: "sleep", wakeAt: NOW }, { kind: "end-sleep" }],
    [
      "a stored sleep keeps its first wake time",
      step({ op: "sleep", status: "sleeping", wakeAt: NOW + 5 }),
      { op: "sleep", wakeAt: NOW + 99 },
      { kind: "suspend", until: NOW + 5 },
    ],
    [
      "a stored sleep that is due ends",
      step({ op: "sleep", status: "sleeping", wakeAt: NOW - 5 }),
      { op: "sleep", wakeAt: NOW + 99 },
      { kind: "end-sleep" },
    ],
    [
      "a completed sleep returns",
      step({ op: "sleep", output: null }),
      { op: "sleep", wakeAt: NOW + 99 },
      { kind: "return", value: null },
    ],
    [
      "a new wait begins",
      undefined,
      { op: "waitForEvent", timeoutAt: NOW + 7 },
      { kind: "begin-wait", until: NOW + 7 },
    ],
    [
      "a pending wait suspends until its timeout",
      step({ op: "waitForEvent", status: "waiting", wakeAt: NOW + 7 }),
      { op: "waitForEvent", timeoutAt: NOW + 99 },
      { kind: "suspend", until: NOW + 7 },
    ],
    [
      "a wait past its timeout times out with null",
      step({ op: "waitForEvent", status: "waiting", wakeAt: NOW }),
      { op: "waitForEvent", timeoutAt: NOW + 99 },
      { kind: "time-out-wait", result: { output: null } },
    ],
    [
      "a wait an event resolved returns the event",
      step({ op: "waitForEvent", output: { id: "e" } }),
      { op: "waitForEvent", timeoutAt: NOW },
      { kind: "return", value: { id: "e" } },
    ],
    ["a new sendSignal executes", undefined, { op: "sendSignal" }, { kind: "execute" }],
    ["a new fetch executes", undefined, { op: "fetch" }, { kind: "execute" }],
    [
      "a fetch whose retry is not due suspends",
      step({ op: "fetch", status: "retrying", retryAt: NOW + 3 }),
      { op: "fetch" },
      { kind: "suspend", until: NOW + 3 },
    ],
    [
      "a completed fetch returns the stored response",
      step({ op: "fetch", output: { status: 200, headers: {}, body: "ok" } }),
      { op: "fetch" },
      { kind: "return", value: { status: 200, headers: {}, body: "ok" } },
    ],
    [
      "a new invoke begins its wait",
      undefined,
      { op: "invoke", timeoutAt: NOW + 7 },
      { kind: "begin-wait", until: NOW + 7 },
    ],
    [
      "an invoke still waiting makes sure its run exists, until the first timeout",
      step({ op: "invoke", status: "waiting", wakeAt: NOW + 7 }),
      { op: "invoke", timeoutAt: NOW + 99 },
      { kind: "ensure-invoke", until: NOW + 7 },
    ],
    [
      "an invoke past its timeout fails with Inngest's timeout error",
      step({ op: "invoke", status: "waiting", wakeAt: NOW }),
      { op: "invoke", timeoutAt: NOW + 99 },
      { kind: "time-out-wait", result: { error: INVOKE_TIMEOUT_ERROR } },
    ],
    [
      "an invoke the invoked run completed returns its output",
      step({ op: "invoke", output: { sum: 3 } }),
      { op: "invoke", timeoutAt: NOW },
      { kind: "return", value: { sum: 3 } },
    ],
    [
      "an invoke the invoked run failed throws its error",
      step({ op: "invoke", status: "failed", error: { name: "TypeError", message: "bad" } }),
      { op: "invoke", timeoutAt: NOW + 9 },
      { kind: "throw", error: { name: "TypeError", message: "bad" } },
    ],
    [
      "a new waitForSignal begins",
      undefined,
      { op: "waitForSignal", timeoutAt: NOW + 7 },
      { kind: "begin-wait", until: NOW + 7 },
    ],
    [
      "a pending waitForSignal suspends until its timeout",
      step({ op: "waitForSignal", status: "waiting", wakeAt: NOW + 7 }),
      { op: "waitForSignal", timeoutAt: NOW + 99 },
      { kind: "suspend", until: NOW + 7 },
    ],
    [
      "a waitForSignal past its timeout times out with null",
      step({ op: "waitForSignal", status: "waiting", wakeAt: NOW - 1 }),
      { op: "waitForSignal", timeoutAt: NOW + 99 },
      { kind: "time-out-wait", result: { output: null } },
    ],
    [
      "a signal received returns it",
      step({ op: "waitForSignal", output: { signal: "s", data: 1 } }),
      { op: "waitForSignal", timeoutAt: NOW },
      { kind: "return", value: { signal: "s", data: 1 } },
    ],
  ];
  for (const [name, stored, request, expected] of cases) {
    test(name, () => assert.deepEqual(planStep(stored, request, NOW), expected));
  }
});

describe("waitSettledMeanwhile: whether the executor must wake its own job after moving it", () => {
  const waiting = step({ id: "w", op: "invoke", status: "waiting" });
  const cases: Array<[string, StepState[], StepState[], boolean]> = [
    ["a wait stored before the job and settled since", [waiting], [{ ...waiting, status: "completed" }], true],
    ["a wait begun in this job and settled since (absent at the start)", [], [{ ...waiting, status: "failed" }], true],
    ["a wait still waiting", [waiting], [waiting], false],
    [
      "a wait settled before the job started",
      [{ ...waiting, status: "completed" }],
      [{ ...waiting, status: "completed" }],
      false,
    ],
    ["a step.run completed in this job is not a wait", [], [step({ id: "r", op: "run" })], false],
    ["a signal received meanwhile", [], [step({ id: "s", op: "waitForSignal" })], true],
  ];
  for (const [name, before, after, expected] of cases) {
    test(name, () => assert.equal(waitSettledMeanwhile(before, after), expected));
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
