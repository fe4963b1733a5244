import { DURATION_HINT, parseDurationMs } from "../../util/durations.ts";
import { compileExpression, ExpressionError } from "./expressions.ts";
import type { FlowControl, FunctionOptions, Trigger } from "./types.ts";

type Fail = (message: string) => never;

/** The function options compiled here. */
export const FLOW_OPTIONS = [
  "throttle",
  "rateLimit",
  "debounce",
  "batchEvents",
  "priority",
  "timeouts",
  "singleton",
] as const;

const SECOND = 1000;
const DAY = 24 * 60 * 60 * SECOND;
/** The server's bounds (pkg/inngest/function.go Validate, pkg/inngest/batch.go, consts.MaxBatchTTL). */
const LIMITS = {
  debouncePeriod: [SECOND, 7 * DAY],
  rateLimitPeriod: [SECOND, DAY],
  throttlePeriod: [SECOND, Infinity],
  batchTimeout: [SECOND, 10 * 60 * SECOND],
} as const;

/** Options that Inngest refuses next to `batchEvents` (a batch has no single trigger event to key them on). */
const NOT_WITH_BATCH = ["cancelOn", "debounce", "singleton", "rateLimit", "idempotency"] as const;

/**
 * Compiles the flow-control options (throttle, rateLimit, debounce, batchEvents, priority,
 * timeouts, singleton) with Inngest's bounds, and refuses the combinations the Inngest server
 * refuses, so a function that would misbehave stops the start instead.
 */
export function compileFlowControl(options: FunctionOptions, triggers: readonly Trigger[], fail: Fail): FlowControl {
  const check = checksFor(fail);
  const flow: { -readonly [K in keyof FlowControl]: FlowControl[K] } = {
    throttle: compileThrottle(options, check),
    rateLimit: compileRateLimit(options, check, fail),
    debounce: compileDebounce(options, check),
    batchEvents: compileBatchEvents(options, triggers, check, fail),
    priority: compilePriority(options, check),
    timeouts: compileTimeouts(options, check),
    singleton: compileSingleton(options, check, fail),
  };
  for (const option of Object.keys(flow) as Array<keyof FlowControl>)
    if (flow[option] === undefined) delete flow[option];
  return Object.freeze(flow);
}

type Checks = ReturnType<typeof checksFor>;

/** The checks every option's fields go through; each failure names the option and the field. */
function checksFor(fail: Fail) {
  const expression = (source: unknown, where: string): string => {
    if (typeof source !== "string" || source.trim() === "") fail(`${where} must be a CEL expression`);
    try {
      compileExpression(source as string, where);
    } catch (error) {
      if (error instanceof ExpressionError) fail(error.message);
      throw error;
    }
    return source as string;
  };
  return {
    expression,
    duration(value: unknown, where: string, [min, max]: readonly [number, number]): number {
      const ms = parseDurationMs(value);
      if (ms === undefined) fail(`${where}: ${JSON.stringify(value)} is not ${DURATION_HINT}`);
      if ((ms as number) < min || (ms as number) > max)
        fail(`${where} must be ${describeRange(min, max)}, not ${JSON.stringify(value)}`);
      return ms as number;
    },
    integer(value: unknown, where: string, min: number): number {
      if (!Number.isInteger(value) || (value as number) < min) fail(`${where} must be an integer of at least ${min}`);
      return value as number;
    },
    object<T>(value: T | undefined, where: string, allowed: string[]): T | undefined {
      if (value === undefined) return undefined;
      if (value === null || typeof value !== "object" || Array.isArray(value)) fail(`${where} must be an object`);
      for (const field of Object.keys(value as object))
        if (!allowed.includes(field)) fail(`${where}: unknown field "${field}"`);
      return value;
    },
    key: (value: string | undefined, where: string) => (value === undefined ? {} : { key: expression(value, where) }),
  };
}

function compileThrottle(options: FunctionOptions, check: Checks): FlowControl["throttle"] {
  const throttle = check.object(options.throttle, "throttle", ["limit", "period", "key", "burst"]);
  if (!throttle) return undefined;
  return {
    limit: check.integer(throttle.limit, "throttle.limit", 1),
    periodMs: check.duration(throttle.period, "throttle.period", LIMITS.throttlePeriod),
    burst: throttle.burst === undefined ? 0 : check.integer(throttle.burst, "throttle.burst", 0),
    ...check.key(throttle.key, "throttle.key"),
  };
}

function compileRateLimit(options: FunctionOptions, check: Checks, fail: Fail): FlowControl["rateLimit"] {
  const rateLimit = check.object(options.rateLimit, "rateLimit", ["limit", "period", "key"]);
  if (!rateLimit) return undefined;
  if (options.idempotency !== undefined)
    fail(
      "idempotency and rateLimit cannot be used together: in Inngest idempotency replaces rateLimit (it is a rate limit of 1 per 24 h)",
    );
  return {
    limit: check.integer(rateLimit.limit, "rateLimit.limit", 1),
    periodMs: check.duration(rateLimit.period, "rateLimit.period", LIMITS.rateLimitPeriod),
    ...check.key(rateLimit.key, "rateLimit.key"),
  };
}

function compileDebounce(options: FunctionOptions, check: Checks): FlowControl["debounce"] {
  const debounce = check.object(options.debounce, "debounce", ["period", "key", "timeout"]);
  if (!debounce) return undefined;
  return {
    periodMs: check.duration(debounce.period, "debounce.period", LIMITS.debouncePeriod),
    ...(debounce.timeout === undefined
      ? {}
      : { timeoutMs: check.duration(debounce.timeout, "debounce.timeout", [SECOND, Infinity]) }),
    ...check.key(debounce.key, "debounce.key"),
  };
}

function compileBatchEvents(
  options: FunctionOptions,
  triggers: readonly Trigger[],
  check: Checks,
  fail: Fail,
): FlowControl["batchEvents"] {
  const batch = check.object(options.batchEvents, "batchEvents", ["maxSize", "timeout", "key", "if"]);
  if (!batch) return undefined;
  for (const option of NOT_WITH_BATCH) {
    const value = options[option];
    if (value !== undefined && !(Array.isArray(value) && value.length === 0))
      fail(`batchEvents cannot be used together with ${option} (as in Inngest)`);
  }
  if (options.priority?.run !== undefined)
    fail("batchEvents cannot be used together with priority.run (as in Inngest)");
  if (triggers.some((trigger) => trigger && typeof trigger === "object" && "cron" in trigger))
    fail("batchEvents needs event triggers: a cron tick is never batched");
  return {
    maxSize: check.integer(batch.maxSize, "batchEvents.maxSize", 2),
    timeoutMs: check.duration(batch.timeout, "batchEvents.timeout", LIMITS.batchTimeout),
    ...check.key(batch.key, "batchEvents.key"),
    ...(batch.if === undefined ? {} : { if: check.expression(batch.if, "batchEvents.if") }),
  };
}

function compilePriority(options: FunctionOptions, check: Checks): FlowControl["priority"] {
  const priority = check.object(options.priority, "priority", ["run"]);
  return priority?.run === undefined ? undefined : { run: check.expression(priority.run, "priority.run") };
}

function compileTimeouts(options: FunctionOptions, check: Checks): FlowControl["timeouts"] {
  const timeouts = check.object(options.timeouts, "timeouts", ["start", "finish"]);
  if (!timeouts || (timeouts.start === undefined && timeouts.finish === undefined)) return undefined;
  return {
    ...(timeouts.start === undefined
      ? {}
      : { startMs: check.duration(timeouts.start, "timeouts.start", [SECOND, Infinity]) }),
    ...(timeouts.finish === undefined
      ? {}
      : { finishMs: check.duration(timeouts.finish, "timeouts.finish", [SECOND, Infinity]) }),
  };
}

function compileSingleton(options: FunctionOptions, check: Checks, fail: Fail): FlowControl["singleton"] {
  const singleton = check.object(options.singleton, "singleton", ["key", "mode"]);
  if (!singleton) return undefined;
  if (singleton.mode !== "skip" && singleton.mode !== "cancel") fail(`singleton.mode must be "skip" or "cancel"`);
  return { mode: singleton.mode, ...check.key(singleton.key, "singleton.key") };
}

function describeRange(min: number, max: number): string {
  const show = (ms: number) =>
    ms % DAY === 0 ? `${ms / DAY}d` : ms % 60_000 === 0 ? `${ms / 60_000}m` : `${ms / SECOND}s`;
  return max === Infinity ? `at least ${show(min)}` : `between ${show(min)} and ${show(max)}`;
}
