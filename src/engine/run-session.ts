import type { EventDraft } from "../events/accept-events.ts";
import { toError } from "../errors.ts";
import { decideRetry } from "./backoff.ts";
import { parseDuration, parseTime } from "./parse-time.ts";
import { createStepIdAllocator, planStep, type StepRequest } from "./replay.ts";
import { serializeError, type StepOp, type StepState } from "./run-state.ts";
import { StepError } from "./step-error.ts";
import { toStorable } from "./to-storable.ts";
import type { StepId, StepTools, WaitForEventOptions } from "./types.ts";

/** The side effects a session needs; the executor binds them to Redis, unit tests to memory. */
export interface SessionEffects {
  saveStep(step: StepState): Promise<void>;
  /** Stores the waiting step, then registers it where the router looks for waiters. */
  beginWait(step: StepState, options: WaitForEventOptions): Promise<void>;
  /** Settles a timed-out wait with null; false when an event settled it first. */
  timeOutWait(step: StepState): Promise<boolean>;
  sendEvents(stepId: string, drafts: EventDraft[]): Promise<string[]>;
}

export interface SessionOptions {
  steps: ReadonlyMap<string, StepState>;
  retries: number;
  retryBaseMs: number;
  effects: SessionEffects;
  now?: () => number;
  /** `timeouts.finish`: no new step starts after it; the run suspends so the executor cancels it. */
  deadline?: number;
}

export type SuspendStatus = "running" | "sleeping" | "waiting";

export type RunOutcome =
  | { kind: "completed"; output: unknown }
  | { kind: "failed"; error: Error }
  | { kind: "suspended"; until: number; status: SuspendStatus };

const NEVER = new Promise<never>(() => {});

/**
 * One execution of a handler. Memoized steps return their stored result; new steps run here and
 * now (those called together run in parallel) and each is stored before its promise resolves, so
 * a run goes as far as it can in one job. A sleep, a wait or a retry asks to suspend: no new step
 * starts after that, the ones in flight finish and are stored, and `settle` reports the earliest
 * time the run must come back. Promises of steps that will run on a later replay never settle.
 */
export function createRunSession(options: SessionOptions) {
  const now = options.now ?? Date.now;
  const allocate = createStepIdAllocator();
  let nextSeq = 0;
  const inFlight = new Set<Promise<unknown>>();
  let suspension: { until: number; status: SuspendStatus } | undefined;
  let report: ((outcome: RunOutcome) => void) | undefined;
  let fail: ((error: unknown) => void) | undefined;

  function track<T>(promise: Promise<T>): Promise<T> {
    inFlight.add(promise);
    const done = () => {
      inFlight.delete(promise);
      if (suspension && inFlight.size === 0) report?.({ kind: "suspended", ...suspension });
    };
    promise.then(done, done);
    return promise;
  }

  function suspend(until: number, status: SuspendStatus): Promise<never> {
    const rank = { running: 0, sleeping: 1, waiting: 2 };
    suspension = {
      until: Math.min(until, suspension?.until ?? Infinity),
      status: rank[status] > rank[suspension?.status ?? "running"] ? status : (suspension?.status ?? status),
    };
    if (inFlight.size === 0) queueMicrotask(() => inFlight.size === 0 && report?.({ kind: "suspended", ...suspension! }));
    return NEVER;
  }

  /** Engine failures (Redis) are not step failures: they fail the job, and BullMQ retries it. */
  const guard = <T>(promise: Promise<T>): Promise<T> => promise.catch((error) => (fail?.(error), NEVER));

  /** Runs the step's code and stores the outcome; the promise settles once it is stored. */
  async function execute(
    head: { id: string; name: string; op: StepOp; seq: number },
    stored: StepState | undefined,
    body: (id: string) => unknown,
  ): Promise<{ output: unknown } | { retryAt: number }> {
    const { id } = head;
    const attempts = (stored?.attempts ?? 0) + 1;
    const startedAt = stored?.startedAt ?? now();
    const began = now();
    let output: unknown;
    try {
      output = toStorable(await body(id), `step "${id}"`);
    } catch (thrown) {
      const error = toError(thrown);
      const decision = decideRetry({ error, failedAttempts: attempts, retries: options.retries, now: now(), baseMs: options.retryBaseMs });
      const base = { ...head, attempts, startedAt, durationMs: now() - began, error: serializeError(error) };
      if (decision.kind === "retry") {
        await guard(options.effects.saveStep({ ...base, status: "retrying", retryAt: decision.at }));
        return { retryAt: decision.at };
      }
      await guard(options.effects.saveStep({ ...base, status: "failed", endedAt: now() }));
      throw new StepError(id, base.error);
    }
    await guard(options.effects.saveStep({ ...head, status: "completed", attempts, startedAt, endedAt: now(), durationMs: now() - began, output }));
    return { output };
  }

  function step<T>(stepId: StepId, request: StepRequest, body: (id: string) => unknown, extra?: WaitForEventOptions): Promise<T> {
    const name = typeof stepId === "string" ? stepId : (stepId.name ?? stepId.id);
    const id = allocate(typeof stepId === "string" ? stepId : stepId.id);
    // The call order is the same on every replay: the timeline's order, whatever the clocks say.
    const seq = nextSeq++;
    const stored = options.steps.get(id);
    const plan = planStep(stored, request, now());
    const head = { id, name, op: request.op, seq: stored?.seq ?? seq };
    const base = { ...head, attempts: 0, startedAt: stored?.startedAt ?? now() };
    switch (plan.kind) {
      case "return":
        return Promise.resolve(plan.value as T);
      case "throw":
        return Promise.reject(new StepError(id, plan.error));
      case "suspend":
        return suspend(plan.until, request.op === "waitForEvent" ? "waiting" : request.op === "sleep" ? "sleeping" : "running");
      case "execute":
        if (suspension) return NEVER;
        if (options.deadline !== undefined && now() >= options.deadline) return suspend(now(), "running");
        // A retry suspends only after the failure is stored (and no longer counted in flight).
        return track(execute(head, stored, body)).then((result) =>
          "retryAt" in result ? suspend(result.retryAt, "running") : (result.output as T),
        );
      case "begin-sleep":
        return track(guard(options.effects.saveStep({ ...base, status: "sleeping", wakeAt: plan.until }))).then(() => suspend(plan.until, "sleeping"));
      case "begin-wait": {
        const waiting: StepState = { ...base, status: "waiting", wakeAt: plan.until, event: extra?.event };
        return track(guard(options.effects.beginWait(waiting, extra!))).then(() => suspend(plan.until, "waiting"));
      }
      case "end-sleep":
        return track(guard(options.effects.saveStep({ ...base, status: "completed", endedAt: now(), output: null }))).then(() => undefined as T);
      case "time-out-wait": {
        const timedOut: StepState = { ...base, status: "completed", endedAt: now(), output: null, event: stored?.event };
        // Lost the race to an arriving event: come straight back and replay to read it.
        return track(guard(options.effects.timeOutWait(timedOut))).then((won) => (won ? (null as T) : suspend(now(), "running")));
      }
    }
  }

  const tools: StepTools = {
    run: (id, fn) => step(id, { op: "run" }, () => fn()),
    sendEvent: (id, events) =>
      step(id, { op: "sendEvent" }, async (finalId) => ({ ids: await options.effects.sendEvents(finalId, [events].flat()) })),
    sleep: (id, duration) => step(id, { op: "sleep", wakeAt: now() + parseDuration(duration, `step.sleep("${stepKey(id)}")`) }, noop),
    sleepUntil: (id, until) => step(id, { op: "sleep", wakeAt: parseTime(until, `step.sleepUntil("${stepKey(id)}")`) }, noop),
    waitForEvent: (id, wait) => {
      const timeout = wait.timeout instanceof Date ? wait.timeout.getTime() - now() : parseDuration(wait.timeout, `step.waitForEvent("${stepKey(id)}")`);
      return step(id, { op: "waitForEvent", timeoutAt: now() + timeout }, noop, wait);
    },
  };

  /** Runs the handler to its end or to a suspension, and waits for the steps in flight. */
  function settle(handler: () => unknown): Promise<RunOutcome> {
    return new Promise<RunOutcome>((resolve, reject) => {
      report = resolve;
      fail = reject;
      const finish = (outcome: RunOutcome) => void Promise.allSettled([...inFlight]).then(() => resolve(outcome));
      Promise.resolve()
        .then(handler)
        .then((output) => finish({ kind: "completed", output: toStorable(output, "the handler") }))
        .catch((error: unknown) => finish({ kind: "failed", error: toError(error) }));
    });
  }

  return { tools, settle };
}

function stepKey(id: StepId): string {
  return typeof id === "string" ? id : id.id;
}

function noop(): void {}
