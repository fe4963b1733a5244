import { randomUUID } from "node:crypto";
import { readEventJobs } from "../queue/event-jobs.js";
import { runJobOptions } from "../queue/run-jobs.js";
import { createRuns } from "./create-runs.js";
import { batchEventScript, closeBatchScript } from "./lua-scripts.js";
import { newRun } from "./plan-flow.js";
import { runIdFor } from "./run-id.js";
const BATCHED_EVENT_TTL_SECONDS = 24 * 60 * 60;
async function addToBatch(ctx, fn, event, key) {
  const batch = fn.flow.batchEvents;
  const now = Date.now();
  const { batchId, firstAt, full } = await batchEventScript(ctx.redis, [ctx.keys.batch(fn.id, key), ctx.keys.batchedEvent(fn.id, event.id)], [
    event.id,
    batch.maxSize,
    `batch-${randomUUID()}`,
    now,
    ctx.keys.batchEvents(""),
    Math.ceil(ctx.options.retentionMs / 1e3),
    BATCHED_EVENT_TTL_SECONDS
  ]);
  const eventRuns = ctx.keys.eventRuns(event.id);
  await ctx.redis.multi().sadd(eventRuns, runIdFor(fn.id, batchId)).expire(eventRuns, Math.ceil(ctx.options.retentionMs / 1e3)).exec();
  const timer = { timer: "batch", functionId: fn.id, key, id: batchId };
  await ctx.runsQueue.add("batch", timer, runJobOptions(batchId, firstAt + batch.timeoutMs - now, ctx.options.retentionMs));
  if (full) await flushBatch(ctx, fn, key, batchId);
}
async function fireBatch(ctx, job) {
  const fn = ctx.registry.get(job.data.functionId);
  if (!fn) {
    ctx.logger.warn({ functionId: job.data.functionId, batch: job.data.id }, "a batch of a function not registered on this worker: dropped");
    return;
  }
  await flushBatch(ctx, fn, job.data.key, job.data.id);
}
async function flushBatch(ctx, fn, key, batchId) {
  const listKey = ctx.keys.batchEvents(batchId);
  const eventIds = await closeBatchScript(ctx.redis, [ctx.keys.batch(fn.id, key), listKey], batchId);
  if (eventIds.length === 0) return;
  const [first] = await readEventJobs(ctx.redis, ctx.keys.tag, eventIds.slice(0, 1));
  if (first === void 0) {
    ctx.logger.error({ functionId: fn.id, batch: batchId, eventId: eventIds[0] }, "a batch's first event is no longer stored: the batch is dropped");
  } else {
    await createRuns(ctx, [newRun(fn, ctx.sealer.openEvent(JSON.parse(first)), Date.now(), { batch: { id: batchId, eventIds } })]);
  }
  await ctx.redis.del(listKey);
}
async function loadBatchEvents(ctx, run) {
  if (!run.eventIds) return [run.event];
  const bodies = await readEventJobs(ctx.redis, ctx.keys.tag, run.eventIds);
  const missing = run.eventIds.filter((_, i) => bodies[i] === void 0);
  if (missing.length > 0) ctx.logger.warn({ runId: run.id, missing }, "some events of a batch are no longer stored (past RETENTION): the run gets the others");
  return bodies.flatMap((body) => body === void 0 ? [] : [ctx.sealer.openEvent(JSON.parse(body))]);
}
export {
  addToBatch,
  fireBatch,
  loadBatchEvents
};
