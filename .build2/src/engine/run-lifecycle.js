import { decideRetry } from "./backoff.js";
import { isFinalStatus, serializeError } from "./run-state.js";
/** How long a run over its concurrency limit waits before it asks for a slot again (jittered). */
export const SLOT_RETRY_MS = 1000;
/**
 * Whether a run must pass a gate before it is marked started: a concurrency slot, or the check of
 * `timeouts.start` (which needs to see that it has not started yet). Other runs are marked
 * started as they are read, in one round trip.
 */
export function needsStartGate(fn) {
    return fn !== undefined && (fn.concurrency.length > 0 || fn.flow.timeouts?.startMs !== undefined);
}
/**
 * What to do with a run as its job is picked up. `started` is true once this execution marked it
 * started (and holds its concurrency slots). `paused`: an operator paused the function; a run
 * that never started waits, one that did goes on.
 */
export function planRun(run, fn, started, now, paused = false) {
    if (!run)
        return { kind: "skip", reason: "missing" };
    if (run.status === "cancelled")
        return { kind: "wind-up", end: { kind: "cancelled", reason: run.cancelReason } };
    if (isFinalStatus(run.status))
        return { kind: "skip", reason: "ended" };
    if (!fn) {
        const error = new Error(`function "${run.functionId}" is not registered on this worker`);
        return { kind: "end", end: { kind: "failed", error: serializeError(error) }, cause: error };
    }
    const timedOut = passedTimeout(run, fn, now);
    if (timedOut)
        return { kind: "cancel", reason: timedOut };
    if (paused && run.startedAt === undefined)
        return { kind: "paused" };
    if (!started)
        return { kind: "start" };
    return { kind: "replay" };
}
/** `timeouts.start` counts from when the run was due (created, its event's future `ts`, or retried). */
export function startDeadline(run, fn) {
    const startMs = fn.flow.timeouts?.startMs;
    return startMs === undefined ? undefined : Math.max(run.createdAt, run.event.ts ?? 0, run.retriedAt ?? 0) + startMs;
}
/** `timeouts.finish` counts from the run's first start. */
export function finishDeadline(run, fn) {
    const finishMs = fn.flow.timeouts?.finishMs;
    return finishMs === undefined || run.startedAt === undefined ? undefined : run.startedAt + finishMs;
}
/** The cancel reason when a timeout has passed, as Inngest cancels (not fails) such runs. */
function passedTimeout(run, fn, now) {
    const { startMs, finishMs } = fn.flow.timeouts ?? {};
    const start = startDeadline(run, fn);
    if (run.startedAt === undefined && start !== undefined && now >= start)
        return `timeouts.start: the run did not start within ${seconds(startMs)}`;
    const finish = finishDeadline(run, fn);
    if (finish !== undefined && now >= finish)
        return `timeouts.finish: the run did not finish within ${seconds(finishMs)}`;
    return undefined;
}
function seconds(ms) {
    return `${(ms ?? 0) / 1000}s`;
}
/**
 * What the outcome of one execution of the handler leads to. Past `timeouts.finish`, a run that
 * would go on (suspend, retry) is cancelled instead, and one that would come back after the
 * deadline comes back at it, to be cancelled then; a run that ends, ends as it did.
 */
export function decideConclusion(run, fn, outcome, now, retryBaseMs) {
    const action = conclude(run, fn, outcome, now, retryBaseMs);
    const deadline = finishDeadline(run, fn);
    if (deadline === undefined || (action.kind !== "suspend" && action.kind !== "retry"))
        return action;
    if (now >= deadline)
        return { kind: "cancel", reason: passedTimeout(run, fn, now) };
    return action.kind === "suspend" ? { ...action, until: Math.min(action.until, deadline) } : { ...action, at: Math.min(action.at, deadline) };
}
function conclude(run, fn, outcome, now, retryBaseMs) {
    switch (outcome.kind) {
        case "suspended":
            return { kind: "suspend", until: outcome.until, status: outcome.status };
        case "completed":
            return { kind: "end", end: { kind: "completed", output: outcome.output } };
        case "failed": {
            const attempt = run.attempt + 1;
            const decision = decideRetry({ error: outcome.error, failedAttempts: attempt, retries: fn.retries, now, baseMs: retryBaseMs });
            const error = serializeError(outcome.error);
            if (decision.kind === "retry")
                return { kind: "retry", at: decision.at, attempt, error, cause: outcome.error };
            return { kind: "end", end: { kind: "failed", error }, cause: outcome.error };
        }
    }
}
/**
 * A write to the run found it already ended: a cancellation landed while it ran or suspended.
 * A cancelled run is wound up; any other end was somebody else's and leaves nothing to do.
 */
export function afterEndedWrite(finalStatus) {
    // The reason is the canceller's: the interpreter reads it from the stored run.
    if (finalStatus === "cancelled")
        return { kind: "wind-up", end: { kind: "cancelled" } };
    return { kind: "skip", reason: finalStatus === "missing" ? "missing" : "ended" };
}
