import { isBridgeError } from "../../errors.ts";
import type { EngineContext } from "../store/engine-context.ts";
import { promoteRunJob } from "../../queue/run-jobs.ts";
import type { StepState } from "../store/run-state.ts";
import type { FunctionEvent } from "../definition/types.ts";
import { waiterMatches, type Waiter, type WaiterLocation } from "../store/waiters.ts";

/** A waiter this long past its expiry is dropped by the router (the executor normally does it). */
const STALE_AFTER_MS = 60_000;

/**
 * Settles the waiters an arriving event matches: a wait gets the event as its step result (only
 * if still waiting: the timeout may have won) and its job is promoted; a cancelOn cancels its run.
 */
export async function resolveWaiters(
  ctx: EngineContext,
  event: FunctionEvent,
  groups: ReadonlyArray<{ key: string; entries: Record<string, string> }>,
): Promise<void> {
  const now = Date.now();
  const done: WaiterLocation[] = [];
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

async function resumeWait(ctx: EngineContext, waiter: Waiter, event: FunctionEvent, now: number): Promise<void> {
  const step: StepState = {
    id: waiter.stepId as string,
    name: waiter.stepName ?? (waiter.stepId as string),
    ...(waiter.seq === undefined ? {} : { seq: waiter.seq }),
    op: "waitForEvent",
    status: "completed",
    attempts: 0,
    startedAt: waiter.startedAt ?? now,
    endedAt: now,
    durationMs: now - (waiter.startedAt ?? now),
    output: event,
    event: event.name,
  };
  if (await ctx.ledger.resolveStep(waiter.runId, step, "waiting")) await promoteRunJob(ctx.runsQueue, waiter.runId);
}

async function cancelRun(ctx: EngineContext, waiter: Waiter, event: FunctionEvent): Promise<void> {
  try {
    await ctx.commands.cancelRun(waiter.runId, `cancelled by event ${event.name} (${event.id})`);
    ctx.logger.info({ runId: waiter.runId, eventName: event.name, eventId: event.id }, "run cancelled by cancelOn");
  } catch (error) {
    // The run has already ended (or expired): nothing left to cancel.
    if (!isBridgeError(error)) throw error;
  }
}
