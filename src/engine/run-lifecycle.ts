import { decideRetry } from "./backoff.ts";
import type { RunOutcome, SuspendStatus } from "./run-session.ts";
import { isFinalStatus, serializeError, type RunState, type SerializedError } from "./run-state.ts";
import type { RunEnd } from "./system-events.ts";
import type { BridgeFunction } from "./types.ts";

/**
 * The run's lifecycle as data, like a step's (replay.ts): pure decisions over the run's state,
 * each returning one action of this union, interpreted in one place (execute-run.ts). A new
 * flow-control state becomes a new case here, not a new branch in the processor.
 */
export type RunAction =
  /** nothing to do: the run does not exist (expired) or has already ended */
  | { kind: "skip"; reason: "missing" | "ended" }
  /** the run was cancelled while queued or suspended: emit its events, drop its waiters */
  | { kind: "wind-up"; end: Extract<RunEnd, { kind: "cancelled" }> }
  /** take the function's concurrency slots, then start */
  | { kind: "acquire-slots" }
  /** every slot is taken: come back at `until` and ask again (not a failure) */
  | { kind: "wait-for-slot"; until: number }
  /** run (or replay) the handler */
  | { kind: "replay" }
  /** a sleep, a wait or a step's retry: store the status, leave the worker until `until` */
  | { kind: "suspend"; until: number; status: SuspendStatus }
  /** the handler failed outside steps and has retries left */
  | { kind: "retry"; at: number; attempt: number; error: SerializedError; cause: Error }
  /** the run is over: wind up, then write the final status */
  | { kind: "end"; end: RunEnd; cause?: Error };

/** How long a run over its concurrency limit waits before it asks for a slot again (jittered). */
export const SLOT_RETRY_MS = 1000;

/** What to do with a run as its job is picked up. `slotsTaken` is true once it holds its slots. */
export function planRun(run: RunState | undefined, fn: BridgeFunction | undefined, slotsTaken: boolean): RunAction {
  if (!run) return { kind: "skip", reason: "missing" };
  if (run.status === "cancelled") return { kind: "wind-up", end: { kind: "cancelled", reason: run.cancelReason } };
  if (isFinalStatus(run.status)) return { kind: "skip", reason: "ended" };
  if (!fn) {
    const error = new Error(`function "${run.functionId}" is not registered on this worker`);
    return { kind: "end", end: { kind: "failed", error: serializeError(error) }, cause: error };
  }
  if (fn.concurrency.length > 0 && !slotsTaken) return { kind: "acquire-slots" };
  return { kind: "replay" };
}

/** What the outcome of one execution of the handler leads to. */
export function decideConclusion(run: RunState, fn: BridgeFunction, outcome: RunOutcome, now: number, retryBaseMs: number): RunAction {
  switch (outcome.kind) {
    case "suspended":
      return { kind: "suspend", until: outcome.until, status: outcome.status };
    case "completed":
      return { kind: "end", end: { kind: "completed", output: outcome.output } };
    case "failed": {
      const attempt = run.attempt + 1;
      const decision = decideRetry({ error: outcome.error, failedAttempts: attempt, retries: fn.retries, now, baseMs: retryBaseMs });
      const error = serializeError(outcome.error);
      if (decision.kind === "retry") return { kind: "retry", at: decision.at, attempt, error, cause: outcome.error };
      return { kind: "end", end: { kind: "failed", error }, cause: outcome.error };
    }
  }
}

/**
 * A write to the run found it already ended: a cancellation landed while it ran or suspended.
 * A cancelled run is wound up; any other end was somebody else's and leaves nothing to do.
 */
export function afterEndedWrite(finalStatus: string): RunAction {
  // The reason is the canceller's: the interpreter reads it from the stored run.
  if (finalStatus === "cancelled") return { kind: "wind-up", end: { kind: "cancelled" } };
  return { kind: "skip", reason: finalStatus === "missing" ? "missing" : "ended" };
}
