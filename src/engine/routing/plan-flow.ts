import { compileExpression, evaluateKey, testExpression } from "../definition/expressions.ts";
import { runIdFor } from "../store/run-id.ts";
import type { NewRun, RunFlow } from "../store/run-ledger.ts";
import type { BridgeFunction, FunctionEvent } from "../definition/types.ts";

/** The server's clamp on `priority.run` (consts.PriorityFactorMin/Max): twelve hours either way. */
export const PRIORITY_LIMIT_SECONDS = 43_200;

/**
 * What the router does with one matching function for one event, in Inngest's order: a batch
 * takes the event (unless its `if` says no), a debounce delays it (after the rate limit, which
 * skips), otherwise a run is created with its flow control decided in the same script.
 */
export type RoutePlan =
  | { kind: "run"; run: NewRun }
  /** `gate`: the rate limit (or idempotency) to pass first, when the function has one. */
  | { kind: "debounce"; key: string; gate?: NewRun }
  | { kind: "batch"; key: string };

export function planRoute(fn: BridgeFunction, event: FunctionEvent, now: number): RoutePlan {
  const { batchEvents, debounce } = fn.flow;
  if (batchEvents && (batchEvents.if === undefined || testExpression(batchEvents.if, { event }))) {
    return { kind: "batch", key: keyValue(batchEvents.key, event) };
  }
  if (debounce) {
    const gate = newRun(fn, event, now, { gate: true });
    const gated = gate.idempotencyKey !== undefined || gate.flow?.rateLimit !== undefined;
    return { kind: "debounce", key: keyValue(debounce.key, event), ...(gated ? { gate } : {}) };
  }
  return { kind: "run", run: newRun(fn, event, now) };
}

/**
 * A run of `fn` for `event`, with the flow control its creation decides. `gate`: the rate limit
 * only (a debounced event). `afterDebounce`: the rate limit was applied to the event already.
 * `batch`: the run of a batch, identified by the batch rather than its first event.
 */
export function newRun(
  fn: BridgeFunction,
  event: FunctionEvent,
  now: number,
  options: { gate?: boolean; afterDebounce?: boolean; batch?: { id: string; eventIds: string[] } } = {},
): NewRun {
  const { throttle, rateLimit, singleton, timeouts, priority } = fn.flow;
  const factor = priority ? priorityFactor(priority.run, event) : 0;
  // A negative priority delays the start, as in Inngest ("as if enqueued n seconds later").
  const due = Math.max(event.ts, now);
  const scheduledFor = factor < 0 ? due - factor * 1000 : event.ts > now ? event.ts : undefined;
  const flow: RunFlow = {};
  if (options.gate) flow.gate = true;
  if (rateLimit && !options.afterDebounce) {
    const key = rateLimit.key === undefined ? "" : evaluateKey(rateLimit.key, { event });
    // A key of `false` means "not rate limited" (Inngest's ErrNotRateLimited).
    if (key !== "false") flow.rateLimit = { ...rateLimit, key: key ?? "" };
  }
  if (throttle) flow.throttle = { ...throttle, key: keyValue(throttle.key, event) };
  if (singleton) {
    const key = singleton.key === undefined ? "" : evaluateKey(singleton.key, { event });
    // `false` means "not a singleton"; a key that cannot be evaluated ignores the singleton (as Inngest).
    if (key !== undefined && key !== "false") flow.singleton = { ...singleton, key };
  }
  if (timeouts?.startMs !== undefined) flow.startDeadline = due + timeouts.startMs;
  if (factor !== 0) flow.priority = factor;
  if (options.batch) flow.eventIds = options.batch.eventIds;
  const idempotent = fn.idempotency !== undefined && !options.afterDebounce;
  return {
    id: runIdFor(fn.id, options.batch?.id ?? event.id),
    functionId: fn.id,
    event,
    // Every event routed here is the intake's, stored once in its job, but a cron tick's.
    eventStored: event.source !== "cron",
    createdAt: now,
    scheduledFor,
    idempotencyKey: idempotent ? (evaluateKey(fn.idempotency as string, { event }) ?? "") : undefined,
    flow,
  };
}

/**
 * `priority.run` in whole seconds, clamped as the server does; a result that is not an integer,
 * or an expression that fails, gives 0 (no priority), as in Inngest.
 */
export function priorityFactor(source: string, event: FunctionEvent): number {
  let value: unknown;
  try {
    value = compileExpression(source, "priority.run")({ event });
  } catch {
    return 0;
  }
  const seconds =
    typeof value === "bigint" ? Number(value) : typeof value === "number" && Number.isInteger(value) ? value : 0;
  return Math.max(-PRIORITY_LIMIT_SECONDS, Math.min(PRIORITY_LIMIT_SECONDS, seconds));
}

/** A key expression's value ("" without an expression, or when it cannot be evaluated). */
function keyValue(source: string | undefined, event: FunctionEvent): string {
  return source === undefined ? "" : (evaluateKey(source, { event }) ?? "");
}
