import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createFunction, NonRetriableError } from "../../src/engine/index.ts";
import { afterEndedWrite, decideConclusion, planRun, type RunAction } from "../../src/engine/run-lifecycle.ts";
import type { RunOutcome } from "../../src/engine/run-session.ts";
import type { RunState } from "../../src/engine/run-state.ts";

const NOW = 1_000_000;
const event = { id: "e1", name: "app/x", data: {}, ts: 0, receivedAt: 0, source: "test" };
const run = (fields: Partial<RunState> = {}): RunState => ({
  id: "r1",
  functionId: "f",
  eventId: "e1",
  eventName: "app/x",
  status: "running",
  createdAt: 0,
  attempt: 0,
  event,
  steps: [],
  ...fields,
});
const plain = createFunction({ id: "f", triggers: [{ event: "app/x" }], retries: 2 }, () => null);
const limited = createFunction({ id: "f", triggers: [{ event: "app/x" }], concurrency: 1 }, () => null);
/** The action without the Error object it carries for the log (compared by its serialized form). */
const withoutCause = (action: RunAction): RunAction => {
  if (action.kind !== "end" && action.kind !== "retry") return action;
  const { cause: _cause, ...rest } = action;
  return rest as RunAction;
};

describe("planRun: what to do with a run as its job is picked up", () => {
  const cases: Array<[string, RunState | undefined, typeof plain | undefined, boolean, RunAction]> = [
    ["a run that expired is skipped", undefined, plain, false, { kind: "skip", reason: "missing" }],
    ["a cancelled run is wound up with its reason", run({ status: "cancelled", cancelReason: "by test" }), plain, false, { kind: "wind-up", end: { kind: "cancelled", reason: "by test" } }],
    ["a completed run is skipped", run({ status: "completed" }), plain, false, { kind: "skip", reason: "ended" }],
    ["a failed run is skipped", run({ status: "failed" }), plain, false, { kind: "skip", reason: "ended" }],
    ["a queued run replays", run({ status: "queued" }), plain, false, { kind: "replay" }],
    ["a sleeping run replays", run({ status: "sleeping" }), plain, false, { kind: "replay" }],
    ["a run with a concurrency limit first takes its slots", run({ status: "queued" }), limited, false, { kind: "acquire-slots" }],
    ["with its slots taken, it replays", run({ status: "queued" }), limited, true, { kind: "replay" }],
  ];
  for (const [name, state, fn, slots, expected] of cases) {
    test(name, () => assert.deepEqual(planRun(state, fn, slots), expected));
  }

  test("a run whose function is not registered here ends failed, naming the function", () => {
    const action = planRun(run(), undefined, false);
    assert.equal(action.kind, "end");
    assert.match(action.kind === "end" && action.end.kind === "failed" ? action.end.error.message : "", /function "f" is not registered/);
  });
});

describe("decideConclusion: what one execution of the handler leads to", () => {
  const failure = (error: Error): RunOutcome => ({ kind: "failed", error });
  const cases: Array<[string, RunState, RunOutcome, RunAction]> = [
    ["a sleep suspends until the wake time", run(), { kind: "suspended", until: NOW + 50, status: "sleeping" }, { kind: "suspend", until: NOW + 50, status: "sleeping" }],
    ["a completed handler ends the run with its output", run(), { kind: "completed", output: { ok: 1 } }, { kind: "end", end: { kind: "completed", output: { ok: 1 } } }],
    ["a NonRetriableError ends the run failed at once", run(), failure(new NonRetriableError("no")), { kind: "end", end: { kind: "failed", error: { name: "NonRetriableError", message: "no" } } }],
    ["a handler out of retries ends failed", run({ attempt: 2 }), failure(new Error("boom")), { kind: "end", end: { kind: "failed", error: { name: "Error", message: "boom" } } }],
  ];
  for (const [name, state, outcome, expected] of cases) {
    test(name, () => {
      const action = withoutCause(decideConclusion(state, plain, outcome, NOW, 1000));
      if (action.kind === "end" && action.end.kind === "failed") delete action.end.error.stack;
      assert.deepEqual(action, expected);
    });
  }

  test("a handler error with retries left retries with backoff, counting the attempt", () => {
    const action = decideConclusion(run({ attempt: 1 }), plain, failure(new Error("flaky")), NOW, 1000);
    assert.equal(action.kind, "retry");
    if (action.kind !== "retry") return;
    assert.equal(action.attempt, 2);
    assert.equal(action.error.message, "flaky");
    // base·2^(n-1) with 50-100 % jitter: between 1 and 2 s for the second failure
    assert.ok(action.at >= NOW + 1000 && action.at <= NOW + 2000, String(action.at - NOW));
  });
});

describe("afterEndedWrite: a write found the run already ended", () => {
  test("cancelled by someone else: wind it up (the reason is read from the stored run)", () => {
    assert.deepEqual(afterEndedWrite("cancelled"), { kind: "wind-up", end: { kind: "cancelled" } });
  });
  test("any other end, or a run gone, leaves nothing to do", () => {
    assert.deepEqual(afterEndedWrite("completed"), { kind: "skip", reason: "ended" });
    assert.deepEqual(afterEndedWrite("missing"), { kind: "skip", reason: "missing" });
  });
});
