import type { SerializedError, StepOp, StepState } from "../store/run-state.ts";

/**
 * The step planner, the heart of replay, pure: given what is stored for a step (if anything) and what the handler
 * asks for now, decide what the step tool does. The compiler forces every caller to handle every
 * kind, as in the Inngest SDK's op handling.
 */
export type StepRequest =
  /** steps whose code runs in the worker, each attempt stored, retried with backoff */
  | { op: "run" | "sendEvent" | "sendSignal" | "fetch" }
  | { op: "sleep"; wakeAt: number }
  /** steps settled from outside (an event, a signal, the invoked run's end) or at their timeout */
  | { op: "waitForEvent" | "waitForSignal" | "invoke"; timeoutAt: number };

export type StepPlan =
  /** memoized: hand the stored result back, the step's code does not run */
  | { kind: "return"; value: unknown }
  /** failed for good earlier: throw a StepError into the handler */
  | { kind: "throw"; error: SerializedError }
  /** run the step's code now (first time, or a retry that is due) */
  | { kind: "execute" }
  /** a new sleep or wait: store it, then leave the worker until `until` */
  | { kind: "begin-sleep"; until: number }
  | { kind: "begin-wait"; until: number }
  /**
   * an invoke still waiting: make sure the invoked run exists and is queued (idempotent: a crash
   * between creating it and queueing its job would otherwise lose it), then leave until `until`
   */
  | { kind: "ensure-invoke"; until: number }
  /** a sleep that is due: settle it */
  | { kind: "end-sleep" }
  /** a wait whose timeout passed: settle it with `result` (null, or the invoke's timeout error) */
  | { kind: "time-out-wait"; result: { output: null } | { error: SerializedError } }
  /** not due yet (woken early, e.g. by a sibling's retry): leave the worker again until `until` */
  | { kind: "suspend"; until: number };

/** Inngest's error for an invoke that outlived its timeout (pkg/execution/execution.go). */
export const INVOKE_TIMEOUT_ERROR: SerializedError = {
  name: "InngestInvokeTimeoutError",
  message: "Timed out waiting for invoked function to complete",
};

export function planStep(stored: StepState | undefined, request: StepRequest, now: number): StepPlan {
  if (stored?.status === "completed") return { kind: "return", value: stored.output ?? null };
  if (stored?.status === "failed")
    return { kind: "throw", error: stored.error ?? { name: "Error", message: "step failed" } };
  switch (request.op) {
    case "run":
    case "sendEvent":
    case "sendSignal":
    case "fetch":
      if (stored?.status === "retrying" && (stored.retryAt ?? 0) > now)
        return { kind: "suspend", until: stored.retryAt as number };
      return { kind: "execute" };
    case "sleep": {
      // The first call fixes the wake time; a replay must not restart the clock.
      const wakeAt = stored?.wakeAt ?? request.wakeAt;
      if (wakeAt <= now) return { kind: "end-sleep" };
      return stored ? { kind: "suspend", until: wakeAt } : { kind: "begin-sleep", until: wakeAt };
    }
    case "waitForEvent":
    case "waitForSignal":
    case "invoke": {
      const timeoutAt = stored?.wakeAt ?? request.timeoutAt;
      if (!stored) return { kind: "begin-wait", until: timeoutAt };
      if (timeoutAt <= now)
        return {
          kind: "time-out-wait",
          result: request.op === "invoke" ? { error: INVOKE_TIMEOUT_ERROR } : { output: null },
        };
      return request.op === "invoke"
        ? { kind: "ensure-invoke", until: timeoutAt }
        : { kind: "suspend", until: timeoutAt };
    }
  }
}

/** Steps settled from outside the run: an event, a signal, or the end of an invoked run. */
export const WAIT_OPS: ReadonlySet<StepOp> = new Set<StepOp>(["waitForEvent", "waitForSignal", "invoke"]);

/**
 * Whether a wait was settled from outside while the run was suspending (`before`: the steps when
 * the job started; `after`: as read once its job is delayed). Whoever settled it tried to wake
 * the job while it was still active, which cannot be done: the executor must wake itself. A wait
 * that began in this very job is absent from `before`, so it counts too.
 */
export function waitSettledMeanwhile(before: readonly StepState[], after: readonly StepState[]): boolean {
  const was = new Map(before.map((step) => [step.id, step.status]));
  return after.some(
    (step) =>
      WAIT_OPS.has(step.op) &&
      (step.status === "completed" || step.status === "failed") &&
      (was.get(step.id) ?? "waiting") === "waiting",
  );
}

/**
 * Inngest's rule for a step id used more than once in a run (a loop): the first keeps the id,
 * later ones get `:1`, `:2`, ..., skipping any suffixed id already taken.
 * https://github.com/inngest/inngest-js (resolveStepIdCollision in components/execution/engine.ts)
 */
export function createStepIdAllocator() {
  const used = new Set<string>();
  const nextIndex = new Map<string, number>();
  return (baseId: string): string => {
    if (!used.has(baseId) && !nextIndex.has(baseId)) {
      used.add(baseId);
      nextIndex.set(baseId, 1);
      return baseId;
    }
    for (let index = nextIndex.get(baseId) ?? 1; ; index++) {
      const candidate = `${baseId}:${index}`;
      if (!used.has(candidate)) {
        used.add(candidate);
        nextIndex.set(baseId, index + 1);
        return candidate;
      }
    }
  };
}
