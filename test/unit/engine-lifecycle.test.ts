import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createFunction, NonRetriableError } from "../../src/client/index.ts";
import {
  afterEndedWrite,
  decideConclusion,
  needsStartGate,
  planRun,
  type RunAction,
} from "../../src/engine/execution/run-lifecycle.ts";
import type { RunOutcome } from "../../src/engine/execution/run-session.ts";
import type { RunState } from "../../src/engine/store/run-state.ts";

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
/** Both timeouts: start within 10 s of being due, finish within 60 s of the first start. */
const timed = createFunction(
  { id: "f", triggers: [{ event: "app/x" }], timeouts: { start: "10s", finish: "1m" } },
  () => null,
);
/** The action without the Error object it carries for the log (compared by its serialized form). */
const withoutCause = (action: RunAction): RunAction => {
  if (action.kind !== "end" && action.kind !== "retry") return action;
  const { cause: _cause, ...rest } = action;
  return rest as RunAction;
};

describe("planRun: what to do with a run as its job is picked up", () => {
  // [name, run, function, started by this execution, now, expected]
  const cases: Array<[string, RunState | undefined, typeof plain | undefined, boolean, number, RunAction]> = [
    ["a run that expired is skipped", undefined, plain, true, NOW, { kind: "skip", reason: "missing" }],
    [
      "a cancelled run is wound up with its reason",
      run({ status: "cancelled", cancelReason: "by test" }),
      plain,
      true,
      NOW,
      { kind: "wind-up", end: { kind: "cancelled", reason: "by test" } },
    ],
    ["a completed run is skipped", run({ status: "completed" }), plain, true, NOW, { kind: "skip", reason: "ended" }],
    ["a failed run is skipped", run({ status: "failed" }), plain, true, NOW, { kind: "skip", reason: "ended" }],
    [
      "a skipped run is skipped",
      run({ status: "skipped", skipReason: "rate limited" }),
      plain,
      true,
      NOW,
      { kind: "skip", reason: "ended" },
    ],
    ["a queued run executes its handler", run({ status: "queued" }), plain, true, NOW, { kind: "execute" }],
    ["a sleeping run executes its handler", run({ status: "sleeping" }), plain, true, NOW, { kind: "execute" }],
    [
      "a run with a concurrency limit first takes its slots and starts",
      run({ status: "queued" }),
      limited,
      false,
      NOW,
      { kind: "start" },
    ],
    [
      "with its slots taken, it executes its handler",
      run({ status: "queued" }),
      limited,
      true,
      NOW,
      { kind: "execute" },
    ],
    [
      "a run with a start timeout, picked up in time, starts",
      run({ status: "queued", createdAt: NOW - 9_999 }),
      timed,
      false,
      NOW,
      { kind: "start" },
    ],
    [
      "a run not started by its start deadline is cancelled",
      run({ status: "queued", createdAt: NOW - 10_000 }),
      timed,
      false,
      NOW,
      { kind: "cancel", reason: "timeouts.start: the run did not start within 10s" },
    ],
    [
      "the start deadline counts from a future event's ts, not from creation",
      run({ status: "queued", createdAt: NOW - 20_000, event: { ...event, ts: NOW - 5_000 } }),
      timed,
      false,
      NOW,
      { kind: "start" },
    ],
    [
      "a retried run's start deadline counts from the retry",
      run({ status: "queued", createdAt: NOW - 3_600_000, retriedAt: NOW - 1_000 }),
      timed,
      false,
      NOW,
      { kind: "start" },
    ],
    [
      "a run that started before is not held to the start timeout",
      run({ status: "sleeping", createdAt: NOW - 50_000, startedAt: NOW - 30_000 }),
      timed,
      false,
      NOW,
      { kind: "start" },
    ],
    [
      "a run past its finish deadline is cancelled",
      run({ status: "sleeping", createdAt: NOW - 70_000, startedAt: NOW - 60_000 }),
      timed,
      true,
      NOW,
      { kind: "cancel", reason: "timeouts.finish: the run did not finish within 60s" },
    ],
  ];
  for (const [name, state, fn, started, now, expected] of cases) {
    test(name, () => assert.deepEqual(planRun(state, fn, started, now), expected));
  }

  test("a run passes a gate before it is marked started only with a concurrency limit or a start timeout", () => {
    assert.equal(needsStartGate(plain), false);
    assert.equal(needsStartGate(limited), true);
    assert.equal(needsStartGate(timed), true);
    assert.equal(
      needsStartGate(
        createFunction({ id: "f", triggers: [{ event: "app/x" }], timeouts: { finish: "1m" } }, () => null),
      ),
      false,
    );
  });

  describe("while an operator has paused the function", () => {
    // [name, run, function, started by this execution, expected]
    const cases: Array<[string, RunState, typeof plain, boolean, RunAction]> = [
      ["a run that never started is held, queued", run({ status: "queued" }), plain, false, { kind: "paused" }],
      [
        "a run with a concurrency limit is held before it takes a slot",
        run({ status: "queued" }),
        limited,
        false,
        { kind: "paused" },
      ],
      [
        "a run that started before the pause goes on (it wakes from a sleep)",
        run({ status: "sleeping", startedAt: NOW - 1000 }),
        plain,
        false,
        { kind: "start" },
      ],
      [
        "a retried run (its start cleared) is held",
        run({ status: "queued", attempt: 0, retriedAt: NOW - 10 }),
        plain,
        false,
        { kind: "paused" },
      ],
      [
        "a cancelled run is still wound up",
        run({ status: "cancelled", cancelReason: "by test" }),
        plain,
        false,
        { kind: "wind-up", end: { kind: "cancelled", reason: "by test" } },
      ],
      [
        "a run past its start deadline is still cancelled",
        run({ status: "queued", createdAt: NOW - 10_000 }),
        timed,
        false,
        { kind: "cancel", reason: "timeouts.start: the run did not start within 10s" },
      ],
    ];
    for (const [name, state, fn, started, expected] of cases) {
      test(name, () => assert.deepEqual(planRun(state, fn, started, NOW, true), expected));
    }
  });

  test("a run whose function is not registered here ends failed, naming the function", () => {
    const action = planRun(run(), undefined, true, NOW);
    assert.equal(action.kind, "end");
    assert.match(
      action.kind === "end" && action.end.kind === "failed" ? action.end.error.message : "",
      /function "f" is not registered/,
    );
  });
});

describe("decideConclusion: what one execution of the handler leads to", () => {
  const failure = (error: Error): RunOutcome => ({ kind: "failed", error });
  const cases: Array<[string, RunState, RunOutcome, RunAction]> = [
    [
      "a sleep suspends until the wake time",
      run(),
      { kind: "suspended", until: NOW + 50, status: "sleeping" },
      { kind: "suspend", until: NOW + 50, status: "sleeping" },
    ],
    [
      "a completed handler ends the run with its output",
      run(),
      { kind: "completed", output: { ok: 1 } },
      { kind: "end", end: { kind: "completed", output: { ok: 1 } } },
    ],
    [
      "a NonRetriableError ends the run failed at once",
      run(),
      failure(new NonRetriableError("no")),
      { kind: "end", end: { kind: "failed", error: { name: "NonRetriableError", message: "no" } } },
    ],
    [
      "a handler out of retries ends failed",
      run({ attempt: 2 }),
      failure(new Error("boom")),
      { kind: "end", end: { kind: "failed", error: { name: "Error", message: "boom" } } },
    ],
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

describe("decideConclusion with timeouts.finish (60 s from the first start)", () => {
  const started = run({ startedAt: NOW - 30_000 });
  const late = run({ startedAt: NOW - 60_000 });
  const cases: Array<[string, RunState, RunOutcome, RunAction]> = [
    [
      "a sleep within the deadline suspends as asked",
      started,
      { kind: "suspended", until: NOW + 10_000, status: "sleeping" },
      { kind: "suspend", until: NOW + 10_000, status: "sleeping" },
    ],
    [
      "a sleep past the deadline wakes at the deadline (to be cancelled then)",
      started,
      { kind: "suspended", until: NOW + 3_600_000, status: "sleeping" },
      { kind: "suspend", until: NOW + 30_000, status: "sleeping" },
    ],
    [
      "a wait past the deadline times out at the deadline",
      started,
      { kind: "suspended", until: NOW + 3_600_000, status: "waiting" },
      { kind: "suspend", until: NOW + 30_000, status: "waiting" },
    ],
    [
      "a run that would go on after its deadline is cancelled",
      late,
      { kind: "suspended", until: NOW, status: "running" },
      { kind: "cancel", reason: "timeouts.finish: the run did not finish within 60s" },
    ],
    [
      "a run that completes after its deadline completes (its last request began in time)",
      late,
      { kind: "completed", output: 1 },
      { kind: "end", end: { kind: "completed", output: 1 } },
    ],
  ];
  for (const [name, state, outcome, expected] of cases) {
    test(name, () => assert.deepEqual(decideConclusion(state, timed, outcome, NOW, 1000), expected));
  }

  test("a handler retry due after the deadline comes back at the deadline", () => {
    const action = decideConclusion(
      run({ startedAt: NOW - 59_900 }),
      timed,
      { kind: "failed", error: new Error("flaky") },
      NOW,
      1000,
    );
    assert.equal(action.kind === "retry" && action.at, NOW + 100);
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
