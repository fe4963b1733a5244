import { DelayedError, type Job } from "bullmq";
import type { BridgeEvent } from "../../events/event-schema.ts";
import { backoffDelay } from "../definition/backoff.ts";
import type { EngineContext } from "../store/engine-context.ts";
import { digest } from "../../redis/keys.ts";
import { addToBatch } from "./batch-events.ts";
import { createRuns } from "./create-runs.ts";
import { debounceEvent } from "./debounce.ts";
import { planRoute } from "./plan-flow.ts";
import type { NewRun } from "../store/run-ledger.ts";
import { SCHEDULED_TIMER } from "../definition/registry.ts";
import type { BridgeFunction, FunctionEvent } from "../definition/types.ts";
import { resolveWaiters } from "./resolve-waiters.ts";
import { userIdsOf } from "../../events/user-ids.ts";

/** Trim the time indexes once per this many routed events, not on every one. */
const TRIM_EVERY = 1000;
/** An event the router keeps failing on (Redis away) is retried this many times, then failed. */
const MAX_ROUTE_ATTEMPTS = 25;

export interface CronTick {
  cronFunctionId: string;
  cron: string;
  /** The trigger's jitter: the tick's run is due up to this much later, at random. */
  jitterMs?: number;
}

/**
 * The processor of the "events" queue. For each event, one script (lua/route-event.lua) reads
 * the waiters registered under its name, records it in the event log and creates a run per
 * matching function (idempotent, with its flow control); the new runs' cancelOn waiters are
 * registered alongside; then one addBulk for the run jobs (create-runs.ts). A batched function
 * gets the event in its batch (batch-events.ts), a debounced one in its debounce (debounce.ts).
 * Then the waiters the event matches are settled (resume waits, cancel runs).
 */
export function createEventRouter(ctx: EngineContext, executor: StartingExecutor) {
  let routed = 0;
  const names = new Set<string>();

  return async function routeEvent(job: Job<BridgeEvent | CronTick>, token?: string): Promise<void> {
    try {
      const event = eventOf(ctx, job);
      if ("cronFunctionId" in job.data) await route(ctx, executor, event, job.data.cronFunctionId);
      else if (await namesErasedUser(ctx, event)) await forgetErasedEvent(ctx, job as Job<BridgeEvent>);
      else await route(ctx, executor, event);
    } catch (error) {
      if (job.attemptsStarted >= MAX_ROUTE_ATTEMPTS) throw error;
      if (!ctx.redisHealth?.absorb(error))
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

/**
 * The executor's part in routing: a run nothing holds back is executed by the router as soon as it
 * is created (execution/execute-started-run.ts, given by start-workers.ts: routing builds before
 * execution and does not import it).
 */
export interface StartingExecutor {
  /** Whether a run of `fn` needs the executor's start gate (a concurrency slot, `timeouts.start`). */
  needsStartGate(fn: BridgeFunction): boolean;
  /** Executes a run created running (`startNow`), in the event's job. */
  executeStartedRun(run: NewRun): Promise<void>;
}

async function route(
  ctx: EngineContext,
  executor: StartingExecutor,
  event: FunctionEvent,
  cronFunctionId?: string,
): Promise<void> {
  const now = Date.now();
  const cronFunction = cronFunctionId === undefined ? undefined : ctx.registry.get(cronFunctionId);
  const functions = cronFunctionId === undefined ? ctx.registry.match(event) : cronFunction ? [cronFunction] : [];
  const plans = functions.map((fn) => planRoute(fn, event, now));
  const paused = ctx.pauses && plans.some((plan) => plan.kind === "run") ? await ctx.pauses.paused() : NONE_PAUSED;
  const runs = plans.flatMap((plan, i) => {
    if (plan.kind === "run") {
      const fn = functions[i] as BridgeFunction;
      return [startsNow(executor, fn, plan.run, paused) ? { ...plan.run, startNow: true } : plan.run];
    }
    return plan.kind === "debounce" && plan.gate ? [plan.gate] : [];
  });
  const record = cronFunctionId === undefined;
  // One lua/route-event.lua call: the waiters of the event's name, its log entry, its runs.
  const waiterKeys = { ifKey: ctx.waiters.ifKey(event.name), pathsKey: ctx.waiters.pathsKey(event.name) };
  // Sent with the script (auto-pipelining): the users it names, for erasure to find it.
  const [{ waiters, waiterPaths, results, startedNow }] = await Promise.all([
    createRuns(ctx, runs, { waiters: waiterKeys, log: record ? ctx.eventLog.entryOf(event) : undefined }),
    record ? indexUsers(ctx, event) : undefined,
  ]);
  const gates = new Map(runs.map((run, i) => [run, results[i]?.result]));
  await Promise.all(
    plans.map((plan, i) => {
      const fn = functions[i] as BridgeFunction;
      if (plan.kind === "batch") return addToBatch(ctx, fn, event, plan.key);
      // A debounced event goes on only if its rate limit (or idempotency) let it through.
      if (plan.kind === "debounce" && (!plan.gate || gates.get(plan.gate) === "admitted"))
        return debounceEvent(ctx, fn, event, plan.key);
      return undefined;
    }),
  );
  // The `if` waiters came with the script; match waiters are read where the event's values point.
  const matching = waiterPaths.length > 0 ? await ctx.waiters.readMatching(event, waiterPaths) : [];
  const groups = [{ key: waiterKeys.ifKey, entries: waiters }, ...matching].filter(
    (group) => Object.keys(group.entries).length > 0,
  );
  if (groups.length > 0) await resolveWaiters(ctx, event, groups);
  // Last, so the event's waits and cancellations are settled before its runs take their time.
  await Promise.all(startedNow.map((run) => executor.executeStartedRun(run)));
}

/**
 * Whether the router executes the run itself as soon as it is created: when nothing but its flow
 * control's decision in route-event.lua could hold it back. A concurrency limit or a start timeout
 * needs the executor's start gate; a throttle or a future start, the delayed set; a pause, the hold.
 */
function startsNow(executor: StartingExecutor, fn: BridgeFunction, run: NewRun, paused: ReadonlySet<string>): boolean {
  return (
    !executor.needsStartGate(fn) &&
    run.flow?.throttle === undefined &&
    run.scheduledFor === undefined &&
    !paused.has(fn.id)
  );
}

const NONE_PAUSED: ReadonlySet<string> = new Set();

/**
 * The intake refuses events naming an erased user; one accepted just before the erasure began may
 * still be queued here, and must start nothing either (the same tombstone, src/erasure/).
 */
async function namesErasedUser(ctx: EngineContext, event: FunctionEvent): Promise<boolean> {
  if (!ctx.tombstones) return false;
  const users = userIdsOf(event);
  return users.length > 0 && (await ctx.tombstones.anyErased(users));
}

/** No run, no log entry, no index; the body is emptied, so the user's data is not kept either. */
async function forgetErasedEvent(ctx: EngineContext, job: Job<BridgeEvent>): Promise<void> {
  const { id, name, ts, receivedAt, source } = job.data;
  await job.updateData({ id, name, ts, receivedAt, source, data: {} });
  ctx.logger.info({ eventId: id, eventName: name }, "the event names an erased user: no run started, its data dropped");
}

async function indexUsers(ctx: EngineContext, event: FunctionEvent): Promise<void> {
  const retentionSeconds = Math.ceil(ctx.options.retentionMs / 1000);
  await Promise.all(
    userIdsOf(event).flatMap((userId) => [
      ctx.redis.hset(ctx.keys.userEvents(userId), event.id, ""),
      ctx.redis.expire(ctx.keys.userEvents(userId), retentionSeconds),
    ]),
  );
}

/** A cron tick (a BullMQ job scheduler's job) becomes an `inngest/scheduled.timer` event. */
function eventOf(ctx: EngineContext, job: Job<BridgeEvent | CronTick>): FunctionEvent {
  // The intake sealed its personal data (ENCRYPTION_KEY): opened here, in the worker only.
  if (!("cronFunctionId" in job.data)) return ctx.sealer.openEvent(job.data);
  const tick = job.timestamp;
  // A future ts delays the run (as an event's would): that is the jitter.
  const ts = tick + Math.floor(Math.random() * (job.data.jitterMs ?? 0));
  return {
    id: `cron.${digest(String(job.id))}`,
    name: SCHEDULED_TIMER,
    data: { cron: job.data.cron },
    ts,
    receivedAt: tick,
    source: "cron",
  };
}
