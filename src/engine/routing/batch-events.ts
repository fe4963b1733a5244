import { randomUUID } from "node:crypto";
import type { Job } from "bullmq";
import { readEventJobs } from "../../queue/event-jobs.ts";
import { runJobOptions, type FlowTimerData } from "../../queue/run-jobs.ts";
import { createRuns } from "./create-runs.ts";
import type { EngineContext } from "../store/engine-context.ts";
import { batchEventScript, closeBatchScript } from "../store/lua-scripts.ts";
import { newRun } from "./plan-flow.ts";
import { runIdFor } from "../store/run-id.ts";
import type { RunState } from "../store/run-state.ts";
import type { BridgeFunction, FunctionEvent } from "../definition/types.ts";

/**
 * An event is routed twice only when its routing is retried (the intake dedupes redeliveries),
 * which the router gives up on well within a day: remembering which batch took it that long
 * keeps it out of a second batch without a key per event for the whole retention.
 */
const BATCHED_EVENT_TTL_SECONDS = 24 * 60 * 60;

/**
 * Inngest's `batchEvents`: one run for up to `maxSize` events of a function and key, or fewer
 * once `timeout` has passed since the batch's first event. A batch is a list of event ids in
 * Redis (lua/batch-event-2.lua appends each event once); the bodies stay in the intake's jobs.
 * A full batch gets its run at once; every batch also has a flush job on the "runs" queue (job id:
 * the batch id), which closes it if it is still open and creates its run, so a crash between
 * closing a batch and creating its run delays the run until the flush, and loses nothing.
 */
export async function addToBatch(
  ctx: EngineContext,
  fn: BridgeFunction,
  event: FunctionEvent,
  key: string,
): Promise<void> {
  const batch = fn.flow.batchEvents!;
  const now = Date.now();
  const { batchId, firstAt, full } = await batchEventScript(
    ctx.redis,
    { openBatch: ctx.keys.batch(fn.id, key), takenBy: ctx.keys.batchedEvent(fn.id, event.id) },
    {
      eventId: event.id,
      maxSize: batch.maxSize,
      batchId: `batch-${randomUUID()}`,
      now,
      batchEventsPrefix: ctx.keys.batchEvents(""),
      retentionSeconds: Math.ceil(ctx.options.retentionMs / 1000),
      takenBySeconds: BATCHED_EVENT_TTL_SECONDS,
    },
  );
  // The event page lists the runs an event started: the batch's run, once it exists.
  const eventRuns = ctx.keys.eventRuns(event.id);
  await ctx.redis
    .multi()
    .hset(eventRuns, runIdFor(fn.id, batchId), "")
    .expire(eventRuns, Math.ceil(ctx.options.retentionMs / 1000))
    .exec();
  // The key value may be personal data (an email address): the job carries it sealed.
  const timer: FlowTimerData = { timer: "batch", functionId: fn.id, key: String(ctx.sealer.seal(key)), id: batchId };
  // Added after every event (the job id dedupes), so a crash before the first add loses nothing.
  await ctx.runsQueue.add(
    "batch",
    timer,
    runJobOptions(batchId, firstAt + batch.timeoutMs - now, ctx.options.retentionMs),
  );
  if (full) await flushBatch(ctx, fn, key, batchId);
}

/** The flush job of a batch: its timeout has passed (or it filled up and this is the safety net). */
export async function fireBatch(ctx: EngineContext, job: Job<FlowTimerData>): Promise<void> {
  const fn = ctx.registry.get(job.data.functionId);
  if (!fn) {
    ctx.logger.warn(
      { functionId: job.data.functionId, batch: job.data.id },
      "a batch of a function not registered on this worker: dropped",
    );
    return;
  }
  await flushBatch(ctx, fn, ctx.sealer.open(job.data.key) as string, job.data.id);
}

/** Closes the batch and creates its run (idempotent: the run id derives from the batch id). */
async function flushBatch(ctx: EngineContext, fn: BridgeFunction, key: string, batchId: string): Promise<void> {
  const listKey = ctx.keys.batchEvents(batchId);
  const eventIds = await closeBatchScript(
    ctx.redis,
    { openBatch: ctx.keys.batch(fn.id, key), events: listKey },
    { batchId },
  );
  if (eventIds.length === 0) return;
  const [first] = await readEventJobs(ctx.redis, ctx.keys.tag, eventIds.slice(0, 1));
  if (first === undefined) {
    ctx.logger.error(
      { functionId: fn.id, batch: batchId, eventId: eventIds[0] },
      "a batch's first event is no longer stored: the batch is dropped",
    );
  } else {
    await createRuns(ctx, [
      newRun(fn, ctx.sealer.openEvent(JSON.parse(first) as FunctionEvent), Date.now(), {
        batch: { id: batchId, eventIds },
      }),
    ]);
  }
  await ctx.redis.del(listKey);
}

/** A batch run's events, in arrival order, read from the intake's jobs when the run executes. */
export async function loadBatchEvents(ctx: EngineContext, run: RunState): Promise<FunctionEvent[]> {
  if (!run.eventIds) return [run.event];
  const bodies = await readEventJobs(ctx.redis, ctx.keys.tag, run.eventIds);
  const missing = run.eventIds.filter((_, i) => bodies[i] === undefined);
  if (missing.length > 0)
    ctx.logger.warn(
      { runId: run.id, missing },
      "some events of a batch are no longer stored (past RETENTION): the run gets the others",
    );
  return bodies.flatMap((body) =>
    body === undefined ? [] : [ctx.sealer.openEvent(JSON.parse(body) as FunctionEvent)],
  );
}
