import { decideRetry } from "./backoff.js";
import { isFinalStatus, serializeError } from "./run-state.js";
const SLOT_RETRY_MS = 1e3;
function needsStartGate(fn) {
  return fn !== void 0 && (fn.concurrency.length > 0 || fn.flow.timeouts?.startMs !== void 0);
}
function planRun(run, fn, started, now, paused = false) {
  if (!run) return { kind: "skip", reason: "missing" };
  if (run.status === "cancelled") return { kind: "wind-up", end: { kind: "cancelled", reason: run.cancelReason } };
  if (isFinalStatus(run.status)) return { kind: "skip", reason: "ended" };
  if (!fn) {
    const error = new Error(`function "${run.functionId}" is not registered on this worker`);
    return { kind: "end", end: { kind: "failed", error: serializeError(error) }, cause: error };
  }
  const timedOut = passedTimeout(run, fn, now);
  if (timedOut) return { kind: "cancel", reason: timedOut };
  if (paused && run.startedAt === void 0) return { kind: "paused" };
  if (!started) return { kind: "start" };
  return { kind: "replay" };
}
function startDeadline(run, fn) {
  const startMs = fn.flow.timeouts?.startMs;
  return startMs === void 0 ? void 0 : Math.max(run.createdAt, run.event.ts ?? 0, run.retriedAt ?? 0) + startMs;
}
function finishDeadline(run, fn) {
  const finishMs = fn.flow.timeouts?.finishMs;
  return finishMs === void 0 || run.startedAt === void 0 ? void 0 : run.startedAt + finishMs;
}
function passedTimeout(run, fn, now) {
  const { startMs, finishMs } = fn.flow.timeouts ?? {};
  const start = startDeadline(run, fn);
  if (run.startedAt === void 0 && start !== void 0 && now >= start) return `timeouts.start: the run did not start within ${seconds(startMs)}`;
  const finish = finishDeadline(run, fn);
  if (finish !== void 0 && now >= finish) return `timeouts.finish: the run did not finish within ${seconds(finishMs)}`;
  return void 0;
}
function seconds(ms) {
  return `${(ms ?? 0) / 1e3}s`;
}
function decideConclusion(run, fn, outcome, now, retryBaseMs) {
  const action = conclude(run, fn, outcome, now, retryBaseMs);
  const deadline = finishDeadline(run, fn);
  if (deadline === void 0 || action.kind !== "suspend" && action.kind !== "retry") return action;
  if (now >= deadline) return { kind: "cancel", reason: passedTimeout(run, fn, now) };
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
      if (decision.kind === "retry") return { kind: "retry", at: decision.at, attempt, error, cause: outcome.error };
      return { kind: "end", end: { kind: "failed", error }, cause: outcome.error };
    }
  }
}
function afterEndedWrite(finalStatus) {
  if (finalStatus === "cancelled") return { kind: "wind-up", end: { kind: "cancelled" } };
  return { kind: "skip", reason: finalStatus === "missing" ? "missing" : "ended" };
}
export {
  SLOT_RETRY_MS,
  afterEndedWrite,
  decideConclusion,
  finishDeadline,
  needsStartGate,
  planRun,
  startDeadline
};
