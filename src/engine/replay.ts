import type { SerializedError, StepState } from "./run-state.ts";

/**
 * The heart of replay, pure: given what is stored for a step (if anything) and what the handler
 * asks for now, decide what the step tool does. The compiler forces every caller to handle every
 * kind, as in the Inngest SDK's op handling.
 */
export type StepRequest =
  | { op: "run" | "sendEvent" }
  | { op: "sleep"; wakeAt: number }
  | { op: "waitForEvent"; timeoutAt: number };

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
  /** a sleep that is due, or a wait whose timeout passed: settle it (a wait with null) */
  | { kind: "end-sleep" }
  | { kind: "time-out-wait" }
  /** not due yet (woken early, e.g. by a sibling's retry): leave the worker again until `until` */
  | { kind: "suspend"; until: number };

export function planStep(stored: StepState | undefined, request: StepRequest, now: number): StepPlan {
  if (stored?.status === "completed") return { kind: "return", value: stored.output ?? null };
  if (stored?.status === "failed") return { kind: "throw", error: stored.error ?? { name: "Error", message: "step failed" } };
  switch (request.op) {
    case "run":
    case "sendEvent":
      if (stored?.status === "retrying" && (stored.retryAt ?? 0) > now) return { kind: "suspend", until: stored.retryAt as number };
      return { kind: "execute" };
    case "sleep": {
      // The first call fixes the wake time; a replay must not restart the clock.
      const wakeAt = stored?.wakeAt ?? request.wakeAt;
      if (wakeAt <= now) return { kind: "end-sleep" };
      return stored ? { kind: "suspend", until: wakeAt } : { kind: "begin-sleep", until: wakeAt };
    }
    case "waitForEvent": {
      const timeoutAt = stored?.wakeAt ?? request.timeoutAt;
      if (!stored) return { kind: "begin-wait", until: timeoutAt };
      return timeoutAt <= now ? { kind: "time-out-wait" } : { kind: "suspend", until: timeoutAt };
    }
  }
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
