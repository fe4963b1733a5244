import { isBridgeError } from "../errors.js";
import { promoteRunJob } from "../queue/run-jobs.js";
import { waiterMatches } from "./waiters.js";
const STALE_AFTER_MS = 6e4;
async function resolveWaiters(ctx, event, groups) {
  const now = Date.now();
  const done = [];
  for (const { key, entries } of groups) {
    for (const [field, json] of Object.entries(entries)) {
      const waiter = ctx.waiters.parse(json);
      if (waiter.expiresAt < now) {
        if (waiter.expiresAt < now - STALE_AFTER_MS) done.push({ key, field });
        continue;
      }
      if (!waiterMatches(waiter, event)) continue;
      done.push({ key, field });
      if (waiter.kind === "wait") await resumeWait(ctx, waiter, event, now);
      else await cancelRun(ctx, waiter, event);
    }
  }
  await ctx.waiters.remove(done);
}
async function resumeWait(ctx, waiter, event, now) {
  const step = {
    id: waiter.stepId,
    name: waiter.stepName ?? waiter.stepId,
    ...waiter.seq === void 0 ? {} : { seq: waiter.seq },
    op: "waitForEvent",
    status: "completed",
    attempts: 0,
    startedAt: waiter.startedAt ?? now,
    endedAt: now,
    durationMs: now - (waiter.startedAt ?? now),
    output: event,
    event: event.name
  };
  if (await ctx.ledger.resolveStep(waiter.runId, step, "waiting")) await promoteRunJob(ctx.runsQueue, waiter.runId);
}
async function cancelRun(ctx, waiter, event) {
  try {
    await ctx.commands.cancelRun(waiter.runId, `cancelled by event ${event.name} (${event.id})`);
    ctx.logger.info({ runId: waiter.runId, eventName: event.name, eventId: event.id }, "run cancelled by cancelOn");
  } catch (error) {
    if (!isBridgeError(error)) throw error;
  }
}
export {
  resolveWaiters
};
