import { randomUUID } from "node:crypto";
import { DelayedError } from "bullmq";
import { runJobOptions } from "../queue/run-jobs.js";
import { createRuns } from "./create-runs.js";
import { claimDebounceScript, debounceEventScript } from "./lua-scripts.js";
import { newRun } from "./plan-flow.js";
async function debounceEvent(ctx, fn, event, key) {
  const debounce = fn.flow.debounce;
  const now = Date.now();
  const { generation, deadline } = await debounceEventScript(ctx.redis, ctx.keys.debounce(fn.id, key), [
    now,
    debounce.periodMs,
    debounce.timeoutMs ?? 0,
    event.id,
    event.ts,
    JSON.stringify(event),
    `debounce-${randomUUID()}`,
    ctx.options.retentionMs
  ]);
  const timer = { timer: "debounce", functionId: fn.id, key, id: generation };
  await ctx.runsQueue.add("debounce", timer, runJobOptions(generation, deadline - now, ctx.options.retentionMs));
}
async function fireDebounce(ctx, job, token) {
  const { functionId, key, id } = job.data;
  const fn = ctx.registry.get(functionId);
  if (!fn) {
    ctx.logger.warn({ functionId, debounce: id }, "a debounce of a function not registered on this worker: dropped");
    return;
  }
  const claimKey = ctx.keys.debounceClaim(id);
  const claim = await claimDebounceScript(ctx.redis, [ctx.keys.debounce(fn.id, key), claimKey], [id, Date.now(), Math.ceil(ctx.options.retentionMs / 1e3)]);
  if (claim.kind === "gone") return;
  if (claim.kind === "wait") {
    await job.moveToDelayed(claim.until, token);
    throw new DelayedError();
  }
  const event = JSON.parse(claim.event);
  await createRuns(ctx, [newRun(fn, event, Date.now(), { afterDebounce: true })]);
  await ctx.redis.del(claimKey);
}
export {
  debounceEvent,
  fireDebounce
};
