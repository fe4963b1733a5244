import { toError } from "../../errors.ts";
import { decideRetry } from "../definition/backoff.ts";
import { NonRetriableError } from "../definition/non-retriable-error.ts";
import { createStepIdAllocator, planStep, type StepPlan, type StepRequest } from "./plan-step.ts";
import { serializeError, type SerializedError, type StepState } from "../store/run-state.ts";
import { never, type SessionTracker, type SuspendStatus } from "./session-tracker.ts";
import { StepError } from "../definition/step-error.ts";
import { toStorable } from "./to-storable.ts";
import type { StepId } from "../definition/types.ts";

/** How registering a wait went (stored and registered where it will be settled, or not). */
export type BeginResult =
  | { kind: "waiting" }
  /** the step fails for good (the function to invoke is not registered): the handler gets a StepError */
  | { kind: "failed"; error: SerializedError }
  /** the run fails at once, whatever the handler does (a signal another run already waits for) */
  | { kind: "abort"; error: Error };

export const WAITING: BeginResult = { kind: "waiting" };

/** What a step tool hands over besides its request. */
export interface StepBody {
  /** Steps that execute (run, sendEvent, sendSignal, fetch): the code whose result is stored. */
  execute?: (id: string) => unknown;
  /** Waits: store the waiting step and register it; called again for an invoke still waiting. */
  begin?: (waiting: StepState) => Promise<BeginResult>;
  /** Stored with the step (`input`, `event`, `signal`). */
  fields?: Partial<StepState>;
}

export interface StepRunnerOptions {
  steps: ReadonlyMap<string, StepState>;
  retries: number;
  retryBaseMs: number;
  now: () => number;
  /** `timeouts.finish`: no new step starts after it. */
  deadline?: number;
  /** Told the kind of each step's plan, in call order (where the replay of stored steps ends). */
  onPlan?: (planKind: StepPlan["kind"]) => void;
  effects: {
    saveStep(step: StepState): Promise<void>;
    /** Settles a wait at its timeout; false when it was settled first (an event, a signal, the invoked run). */
    timeOutWait(step: StepState): Promise<boolean>;
  };
}

export type RunStep = <T>(stepId: StepId, request: StepRequest, body?: StepBody) => Promise<T>;
type Head = Pick<StepState, "id" | "name" | "op" | "seq"> & Partial<StepState>;

interface Runner extends StepRunnerOptions {
  tracker: SessionTracker;
  allocate: (baseId: string) => string;
  nextSeq: number;
}

/**
 * Turns each step call into its plan (plan-step.ts) and carries it out: memoized steps return their
 * stored result; new steps run here and now and are stored before their promise resolves; sleeps
 * and waits are stored, then ask the run to leave the worker.
 */
export function createStepRunner(options: StepRunnerOptions, tracker: SessionTracker): RunStep {
  const runner: Runner = { ...options, tracker, allocate: createStepIdAllocator(), nextSeq: 0 };
  return <T>(stepId: StepId, request: StepRequest, body: StepBody = {}) =>
    runStep(runner, stepId, request, body) as Promise<T>;
}

function runStep(runner: Runner, stepId: StepId, request: StepRequest, body: StepBody): Promise<unknown> {
  const baseId = typeof stepId === "string" ? stepId : stepId?.id;
  if (typeof baseId !== "string" || baseId === "")
    throw new NonRetriableError(`a step needs a non-empty string id, got ${JSON.stringify(stepId)}`);
  const id = runner.allocate(baseId);
  // The call order is the same on every replay: the timeline's order, whatever the clocks say.
  const seq = runner.nextSeq++;
  const stored = runner.steps.get(id);
  const name = typeof stepId === "string" ? stepId : (stepId.name ?? stepId.id);
  const head: Head = { id, name, op: request.op, seq: stored?.seq ?? seq, ...body.fields };
  const plan = planStep(stored, request, runner.now());
  runner.onPlan?.(plan.kind);
  return follow(runner, plan, head, stored, body);
}

function follow(
  runner: Runner,
  plan: StepPlan,
  head: Head,
  stored: StepState | undefined,
  body: StepBody,
): Promise<unknown> {
  const { tracker, now } = runner;
  const base: StepState = { ...head, status: "waiting", attempts: 0, startedAt: stored?.startedAt ?? now() };
  const save = (step: StepState) => tracker.track(tracker.guard(runner.effects.saveStep(step)));
  switch (plan.kind) {
    case "return":
      return Promise.resolve(plan.value);
    case "throw":
      return Promise.reject(new StepError(head.id, plan.error));
    case "suspend":
      return tracker.suspend(plan.until, suspendStatus(head.op));
    case "execute":
      if (tracker.stopped) return never();
      // Past `timeouts.finish`, no new step starts: the run suspends and the executor cancels it.
      if (runner.deadline !== undefined && now() >= runner.deadline) return tracker.suspend(now(), "running");
      // A retry suspends only after the failure is stored (and no longer counted in flight).
      return tracker
        .track(execute(runner, head, stored, body.execute ?? noop))
        .then((result) => ("retryAt" in result ? tracker.suspend(result.retryAt, "running") : result.output));
    case "begin-sleep":
      return save({ ...base, status: "sleeping", wakeAt: plan.until }).then(() =>
        tracker.suspend(plan.until, "sleeping"),
      );
    case "end-sleep":
      return save({ ...base, status: "completed", endedAt: now(), output: null }).then(() => undefined);
    case "begin-wait":
    case "ensure-invoke":
      return begin(runner, base, plan.until, body.begin ?? (async () => WAITING));
    case "time-out-wait":
      // Keeps what the waiting step recorded (the invoked run, the event or signal name).
      return timeOut(runner, { ...stored, ...base }, plan.result);
  }
}

/** Runs the step's code and stores the outcome; the promise settles once it is stored. */
async function execute(
  runner: Runner,
  head: Head,
  stored: StepState | undefined,
  code: (id: string) => unknown,
): Promise<{ output: unknown } | { retryAt: number }> {
  const { now, effects, tracker } = runner;
  const attempts = (stored?.attempts ?? 0) + 1;
  const startedAt = stored?.startedAt ?? now();
  const began = now();
  let output: unknown;
  try {
    output = toStorable(await code(head.id), `step "${head.id}"`);
  } catch (thrown) {
    const error = toError(thrown);
    const decision = decideRetry({
      error,
      failedAttempts: attempts,
      retries: runner.retries,
      now: now(),
      baseMs: runner.retryBaseMs,
    });
    const failed = { ...head, attempts, startedAt, durationMs: now() - began, error: serializeError(error) };
    if (decision.kind === "retry") {
      await tracker.guard(effects.saveStep({ ...failed, status: "retrying", retryAt: decision.at }));
      return { retryAt: decision.at };
    }
    await tracker.guard(effects.saveStep({ ...failed, status: "failed", endedAt: now() }));
    throw new StepError(head.id, failed.error);
  }
  await tracker.guard(
    effects.saveStep({
      ...head,
      status: "completed",
      attempts,
      startedAt,
      endedAt: now(),
      durationMs: now() - began,
      output,
    }),
  );
  return { output };
}

/** Registers a wait; a refusal is stored as the step's failure before anything else happens. */
function begin(
  runner: Runner,
  base: StepState,
  until: number,
  register: (waiting: StepState) => Promise<BeginResult>,
): Promise<unknown> {
  const { tracker, now } = runner;
  const registering = async (): Promise<BeginResult> => {
    const result = await register({ ...base, status: "waiting", wakeAt: until });
    if (result.kind === "waiting") return result;
    const error = result.kind === "failed" ? result.error : serializeError(result.error);
    await runner.effects.saveStep({ ...base, status: "failed", endedAt: now(), error });
    // Set while still in flight, so the run reports this failure and nothing else.
    if (result.kind === "abort") void tracker.abort(result.error);
    return result;
  };
  return tracker.track(tracker.guard(registering())).then((result) => {
    if (result.kind === "waiting") return tracker.suspend(until, "waiting");
    return result.kind === "failed" ? Promise.reject(new StepError(base.id, result.error)) : never();
  });
}

function timeOut(
  runner: Runner,
  base: StepState,
  result: Extract<StepPlan, { kind: "time-out-wait" }>["result"],
): Promise<unknown> {
  const { tracker, now } = runner;
  const ended = { ...base, endedAt: now() };
  const settled: StepState =
    "error" in result
      ? { ...ended, status: "failed", error: result.error }
      : { ...ended, status: "completed", output: null };
  return tracker.track(tracker.guard(runner.effects.timeOutWait(settled))).then((won) => {
    // Lost the race to whoever settled it: come straight back and replay to read it.
    if (!won) return tracker.suspend(now(), "running");
    return "error" in result ? Promise.reject(new StepError(base.id, result.error)) : null;
  });
}

function suspendStatus(op: StepState["op"]): SuspendStatus {
  if (op === "sleep") return "sleeping";
  return op === "waitForEvent" || op === "waitForSignal" || op === "invoke" ? "waiting" : "running";
}

function noop(): void {}
