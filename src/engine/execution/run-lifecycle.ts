import { decideRetry } from "../definition/backoff.ts";
import type { RunOutcome, SuspendStatus } from "./run-session.ts";
import { isFinalStatus, serializeError, type RunState, type SerializedError } from "../store/run-state.ts";
import type { RunEnd } from "./system-events.ts";
import type { BridgeFunction } from "../definition/types.ts";

/**
 * The run's lifecycle as data, like a step's (plan-step.ts): pure decisions over the run's state,
 * each returning one action of this union, interpreted in one place (execute-run.ts). A new
 * flow-control state becomes a new case here, not a new branch in the processor.
 */
export type RunAction =
  /** nothing to do: the run does not exist (expired) or has already ended */
  | { kind: "skip"; reason: "missing" | "ended" }
  /** the run was cancelled while queued or suspended: emit its events, drop its waiters */
  | { kind: "wind-up"; end: Extract<RunEnd, { kind: "cancelled" }> }
  /** take the function's concurrency slots (if any), then mark the run started */
  | { kind: "start" }
  /** a timeout passed (`timeouts.start` or `timeouts.finish`): end the run cancelled */
  | { kind: "cancel"; reason: string }
  /** the function is paused and the run has not started: hold it, queued, until it is resumed */
  | { kind: "paused" }
  /** every slot is taken: come back at `until` and ask again (not a failure) */
  | { kind: "wait-for-slot"; until: number }
  /** execute the handler (replaying its stored steps first, if any) */
  | { kind: "execute" }
  /** a sleep, a wait or a step's retry: store the status, leave the worker until `until` */
  | { kind: "suspend"; until: number; status: SuspendStatus }
  /** the handler failed outside steps and has retries left */
  | { kind: "retry"; at: number; attempt: number; error: SerializedError; cause: Error }
  /** the run is over: wind up, then write the final status */
  | { kind: "end"; end: RunEnd; cause?: Error };

/** How long a run over its concurrency limit waits before it asks for a slot again (jittered). */
export const SLOT_RETRY_MS = 1000;

/**
 * Whether a run must pass a gate before it is marked started: a concurrency slot, or the check of
 * `timeouts.start` (which needs to see that it has not started yet). Other runs are marked
 * started as they are read, in one round trip.
 */
export function needsStartGate(fn: BridgeFunction | undefined): boolean {
  return fn !== undefined && (fn.concurrency.length > 0 || fn.flow.timeouts?.startMs !== undefined);
}

/**
 * What to do with a run as its job is picked up. `started` is true once this execution marked it
 * started (and holds its concurrency slots). `paused`: an operator paused the function; a run
 * that never started waits, one that did goes on.
 */
export function planRun(
  run: RunState | undefined,
  fn: BridgeFunction | undefined,
  started: boolean,
  now: number,
  paused = false,
): RunAction {
  if (!run) return { kind: "skip", reason: "missing" };
  if (run.status === "cancelled") return { kind: "wind-up", end: { kind: "cancelled", reason: run.cancelReason } };
  if (isFinalStatus(run.status)) return { kind: "skip", reason: "ended" };
  if (!fn) {
    const error = new Error(`function "${run.functionId}" is not registered on this worker`);
    return { kind: "end", end: { kind: "failed", error: serializeError(error) }, cause: error };
  }
  const timedOut = passedTimeout(run, fn, now);
  if (timedOut) return { kind: "cancel", reason: timedOut };
  if (paused && run.startedAt === undefined) return { kind: "paused" };
  if (!started) return { kind: "start" };
  return { kind: "execute" };
}

/** `timeouts.start` counts from when the run was due (created, its event's future `ts`, or retried). */
export function startDeadline(run: RunState, fn: BridgeFunction): number | undefined {
  const startMs = fn.flow.timeouts?.startMs;
  return startMs === undefined ? undefined : Math.max(run.createdAt, run.event.ts ?? 0, run.retriedAt ?? 0) + startMs;
}

/** `timeouts.finish` counts from the run's first start. */
export function finishDeadline(run: RunState, fn: BridgeFunction): number | undefined {
  const finishMs = fn.flow.timeouts?.finishMs;
  return finishMs === undefined || run.startedAt === undefined ? undefined : run.startedAt + finishMs;
}

/** The cancel reason when a timeout has passed, as Inngest cancels (not fails) such runs. */
function passedTimeout(run: RunState, fn: BridgeFunction, now: number): string | undefined {
  const { startMs, finishMs } = fn.flow.timeouts ?? {};
  const start = startDeadline(run, fn);
  if (run.startedAt === undefined && start !== undefined && now >= start)
    return `timeouts.start: the run did not start within ${seconds(startMs)}`;
  const finish = finishDeadline(run, fn);
  if (finish !== undefined && now >= finish)
    return `timeouts.finish: the run did not finish within ${seconds(finishMs)}`;
  return undefined;
}

function seconds(ms: number | undefined): string {
  return `${(ms ?? 0) / 1000}s`;
}

/**
 * What the outcome of one execution of the handler leads to. Past `timeouts.finish`, a run that
 * would go on (suspend, retry) is cancelled instead, and one that would come back after the
 * deadline comes back at it, to be cancelled then; a run that ends, ends as it did.
 */
export function decideConclusion(
  run: RunState,
  fn: BridgeFunction,
  outcome: RunOutcome,
  now: number,
  retryBaseMs: number,
): RunAction {
  const action = conclude(run, fn, outcome, now, retryBaseMs);
  const deadline = finishDeadline(run, fn);
  if (deadline === undefined || (action.kind !== "suspend" && action.kind !== "retry")) return action;
  if (now >= deadline) return { kind: "cancel", reason: passedTimeout(run, fn, now) as string };
  return action.kind === "suspend"
    ? { ...action, until: Math.min(action.until, deadline) }
    : { ...action, at: Math.min(action.at, deadline) };
}

function conclude(run: RunState, fn: BridgeFunction, outcome: RunOutcome, now: number, retryBaseMs: number): RunAction {
  switch (outcome.kind) {
    case "suspended":
      return { kind: "suspend", until: outcome.until, status: outcome.status };
    case "completed":
      return { kind: "end", end: { kind: "completed", output: outcome.output } };
    case "failed": {
      const attempt = run.attempt + 1;
      const decision = decideRetry({
        error: outcome.error,
        failedAttempts: attempt,
        retries: fn.retries,
        now,
        baseMs: retryBaseMs,
      });
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
