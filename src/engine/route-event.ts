import { DelayedError, type Job } from "bullmq";
import type { BridgeEvent } from "../events/event-schema.ts";
import { backoffDelay } from "./backoff.ts";
import type { EngineContext } from "./engine-context.ts";
import { digest } from "../redis/keys.ts";
import { runJobOptions, type RunJobData } from "../queue/run-jobs.ts";
import { evaluateKey } from "./expressions.ts";
import { SCHEDULED_TIMER } from "./registry.ts";
import { runIdFor } from "./run-id.ts";
import type { NewRun } from "./store/run-ledger.ts";
import type { BridgeFunction, FunctionEvent } from "./types.ts";
import { resolveWaiters } from "./resolve-waiters.ts";
import { triggerOf, waiterField } from "./waiters.ts";

/** Trim the time indexes once per this many routed events, not on every one. */
const TRIM_EVERY = 1000;
/** An event the router keeps failing on (Redis away) is retried this many times, then failed. */
const MAX_ROUTE_ATTEMPTS = 25;

export interface CronTick {
  cronFunctionId: string;
  cron: string;
}

/**
 * The processor of the "events" queue. For each event, one script (lua/route-event.lua) reads
 * the waiters registered under its name, records it in the event log and creates a run per
 * matching function (idempotent); the new runs' cancelOn waiters are registered alongside; then
 * one addBulk for the run jobs; then the waiters the event matches are settled (resume waits,
 * cancel runs).
 */
export function createEventRouter(ctx: EngineContext) {
  let routed = 0;
  const names = new Set<string>();

  return async function routeEvent(job: Job<BridgeEvent | CronTick>, token?: string): Promise<void> {
    try {
      await route(ctx, eventOf(job), "cronFunctionId" in job.data ? job.data.cronFunctionId : undefined);
    } catch (error) {
      if (job.attemptsStarted >= MAX_ROUTE_ATTEMPTS) throw error;
      ctx.logger.warn({ err: error, eventJobId: job.id }, "routing an event failed; it will be retried");
      await job.moveToDelayed(Date.now() + backoffDelay(job.attemptsStarted, 1000), token);
      throw new DelayedError();
    }
    names.add(job.name);
    if (++routed % TRIM_EVERY === 0) {
      await ctx.eventLog.trim(names.values());
      await ctx.ledger.trimIndexes(ctx.registry.functions.map((fn) => fn.id));
      names.clear();
    }
  };
}

async function route(ctx: EngineContext, event: FunctionEvent, cronFunctionId?: string): Promise<void> {
  const now = Date.now();
  const cronFunction = cronFunctionId === undefined ? undefined : ctx.registry.get(cronFunctionId);
  const functions = cronFunctionId === undefined ? ctx.registry.match(event) : cronFunction ? [cronFunction] : [];
  const runs = functions.map((fn) => newRun(fn, event, now));
  const record = cronFunctionId === undefined;
  const [{ waiters, runs: created }] = await Promise.all([
    // One lua/route-event.lua call: the waiters of the event's name, its log entry, its runs.
    ctx.ledger.route({ waitersKey: ctx.waiters.key(event.name), log: record ? ctx.eventLog.entryOf(event) : undefined, runs }),
    Promise.all(functions.map((fn, i) => registerCancels(ctx, fn, runs[i] as NewRun))),
  ]);

  const jobs = runs
    .filter((_, i) => created[i] === "created" || created[i] === "queued")
    .map((run) => ({
      name: run.functionId,
      data: { runId: run.id, functionId: run.functionId } satisfies RunJobData,
      opts: runJobOptions(run.id, (run.scheduledFor ?? now) - now, ctx.options.retentionMs),
    }));
  if (jobs.length > 0) await ctx.runsQueue.addBulk(jobs);
  if (Object.keys(waiters).length > 0) await resolveWaiters(ctx, event, waiters);
}

function newRun(fn: BridgeFunction, event: FunctionEvent, now: number): NewRun {
  return {
    id: runIdFor(fn.id, event.id),
    functionId: fn.id,
    event,
    createdAt: now,
    scheduledFor: event.ts > now ? event.ts : undefined,
    idempotencyKey: fn.idempotency === undefined ? undefined : (evaluateKey(fn.idempotency, { event }) ?? ""),
  };
}

/** cancelOn waiters are registered with the run, so a queued or delayed run is cancellable too. */
async function registerCancels(ctx: EngineContext, fn: BridgeFunction, run: NewRun): Promise<void> {
  const startsAt = Math.max(run.createdAt, run.scheduledFor ?? 0);
  await Promise.all(
    fn.cancelOn.map((cancel, index) => {
      const lifetime = cancel.timeoutMs ?? ctx.options.retentionMs;
      const waiter = { kind: "cancel" as const, runId: run.id, if: cancel.if, match: cancel.match, trigger: triggerOf(run.event), expiresAt: startsAt + lifetime };
      return ctx.waiters.register(cancel.event, waiterField(waiter, index), waiter);
    }),
  );
}

/** A cron tick (a BullMQ job scheduler's job) becomes an `inngest/scheduled.timer` event. */
function eventOf(job: Job<BridgeEvent | CronTick>): FunctionEvent {
  if (!("cronFunctionId" in job.data)) return job.data;
  const ts = job.timestamp;
  return { id: `cron.${digest(String(job.id))}`, name: SCHEDULED_TIMER, data: { cron: job.data.cron }, ts, receivedAt: ts, source: "cron" };
}
