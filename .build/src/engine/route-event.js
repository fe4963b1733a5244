import { DelayedError } from "bullmq";
import { backoffDelay } from "./backoff.js";
import { digest } from "../redis/keys.js";
import { addToBatch } from "./batch-events.js";
import { createRuns } from "./create-runs.js";
import { debounceEvent } from "./debounce.js";
import { planRoute } from "./plan-flow.js";
import { SCHEDULED_TIMER } from "./registry.js";
import { resolveWaiters } from "./resolve-waiters.js";
import { userIdsOf } from "../erasure/user-ids.js";
const TRIM_EVERY = 1e3;
const MAX_ROUTE_ATTEMPTS = 25;
function createEventRouter(ctx) {
  let routed = 0;
  const names = /* @__PURE__ */ new Set();
  return async function routeEvent(job, token) {
    try {
      await route(ctx, eventOf(ctx, job), "cronFunctionId" in job.data ? job.data.cronFunctionId : void 0);
    } catch (error) {
      if (job.attemptsStarted >= MAX_ROUTE_ATTEMPTS) throw error;
      ctx.logger.warn({ err: error, eventJobId: job.id }, "routing an event failed; it will be retried");
      await job.moveToDelayed(Date.now() + backoffDelay(job.attemptsStarted, 1e3), token);
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
async function route(ctx, event, cronFunctionId) {
  const now = Date.now();
  const cronFunction = cronFunctionId === void 0 ? void 0 : ctx.registry.get(cronFunctionId);
  const functions = cronFunctionId === void 0 ? ctx.registry.match(event) : cronFunction ? [cronFunction] : [];
  const plans = functions.map((fn) => planRoute(fn, event, now));
  const runs = plans.flatMap((plan) => plan.kind === "run" ? [plan.run] : plan.kind === "debounce" && plan.gate ? [plan.gate] : []);
  const record = cronFunctionId === void 0;
  const waiterKeys = { ifKey: ctx.waiters.ifKey(event.name), pathsKey: ctx.waiters.pathsKey(event.name) };
  const [{ waiters, waiterPaths, results }] = await Promise.all([
    createRuns(ctx, runs, { waiters: waiterKeys, log: record ? ctx.eventLog.entryOf(event) : void 0 }),
    record ? indexUsers(ctx, event) : void 0
  ]);
  const gates = new Map(runs.map((run, i) => [run, results[i]?.result]));
  await Promise.all(
    plans.map((plan, i) => {
      const fn = functions[i];
      if (plan.kind === "batch") return addToBatch(ctx, fn, event, plan.key);
      if (plan.kind === "debounce" && (!plan.gate || gates.get(plan.gate) === "admitted")) return debounceEvent(ctx, fn, event, plan.key);
      return void 0;
    })
  );
  const matching = waiterPaths.length > 0 ? await ctx.waiters.readMatching(event, waiterPaths) : [];
  const groups = [{ key: waiterKeys.ifKey, entries: waiters }, ...matching].filter((group) => Object.keys(group.entries).length > 0);
  if (groups.length > 0) await resolveWaiters(ctx, event, groups);
}
async function indexUsers(ctx, event) {
  const retentionSeconds = Math.ceil(ctx.options.retentionMs / 1e3);
  await Promise.all(userIdsOf(event).flatMap((userId) => [ctx.redis.sadd(ctx.keys.userEvents(userId), event.id), ctx.redis.expire(ctx.keys.userEvents(userId), retentionSeconds)]));
}
function eventOf(ctx, job) {
  if (!("cronFunctionId" in job.data)) return ctx.sealer.openEvent(job.data);
  const tick = job.timestamp;
  const ts = tick + Math.floor(Math.random() * (job.data.jitterMs ?? 0));
  return { id: `cron.${digest(String(job.id))}`, name: SCHEDULED_TIMER, data: { cron: job.data.cron }, ts, receivedAt: tick, source: "cron" };
}
export {
  createEventRouter
};
