import { compileExpression, evaluateKey, testExpression } from "./expressions.js";
import { runIdFor } from "./run-id.js";
const PRIORITY_LIMIT_SECONDS = 43200;
function planRoute(fn, event, now) {
  const { batchEvents, debounce } = fn.flow;
  if (batchEvents && (batchEvents.if === void 0 || testExpression(batchEvents.if, { event }))) {
    return { kind: "batch", key: keyValue(batchEvents.key, event) };
  }
  if (debounce) {
    const gate = newRun(fn, event, now, { gate: true });
    const gated = gate.idempotencyKey !== void 0 || gate.flow?.rateLimit !== void 0;
    return { kind: "debounce", key: keyValue(debounce.key, event), ...gated ? { gate } : {} };
  }
  return { kind: "run", run: newRun(fn, event, now) };
}
function newRun(fn, event, now, options = {}) {
  const { throttle, rateLimit, singleton, timeouts, priority } = fn.flow;
  const factor = priority ? priorityFactor(priority.run, event) : 0;
  const due = Math.max(event.ts, now);
  const scheduledFor = factor < 0 ? due - factor * 1e3 : event.ts > now ? event.ts : void 0;
  const flow = {};
  if (options.gate) flow.gate = true;
  if (rateLimit && !options.afterDebounce) {
    const key = rateLimit.key === void 0 ? "" : evaluateKey(rateLimit.key, { event });
    if (key !== "false") flow.rateLimit = { key: key ?? "", limit: rateLimit.limit, periodMs: rateLimit.periodMs };
  }
  if (throttle) flow.throttle = { key: keyValue(throttle.key, event), limit: throttle.limit, periodMs: throttle.periodMs, burst: throttle.burst };
  if (singleton) {
    const key = singleton.key === void 0 ? "" : evaluateKey(singleton.key, { event });
    if (key !== void 0 && key !== "false") flow.singleton = { key, mode: singleton.mode };
  }
  if (timeouts?.startMs !== void 0) flow.startDeadline = due + timeouts.startMs;
  if (factor !== 0) flow.priority = factor;
  if (options.batch) flow.eventIds = options.batch.eventIds;
  const idempotent = fn.idempotency !== void 0 && !options.afterDebounce;
  return {
    id: runIdFor(fn.id, options.batch?.id ?? event.id),
    functionId: fn.id,
    event,
    // Every event routed here is the intake's, stored once in its job, but a cron tick's.
    eventStored: event.source !== "cron",
    createdAt: now,
    scheduledFor,
    idempotencyKey: idempotent ? evaluateKey(fn.idempotency, { event }) ?? "" : void 0,
    flow
  };
}
function priorityFactor(source, event) {
  let value;
  try {
    value = compileExpression(source, "priority.run")({ event });
  } catch {
    return 0;
  }
  const seconds = typeof value === "bigint" ? Number(value) : typeof value === "number" && Number.isInteger(value) ? value : 0;
  return Math.max(-PRIORITY_LIMIT_SECONDS, Math.min(PRIORITY_LIMIT_SECONDS, seconds));
}
function keyValue(source, event) {
  return source === void 0 ? "" : evaluateKey(source, { event }) ?? "";
}
export {
  PRIORITY_LIMIT_SECONDS,
  newRun,
  planRoute,
  priorityFactor
};
