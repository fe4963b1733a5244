import { DURATION_HINT, parseDurationMs } from "../util/durations.js";
import { compileExpression, ExpressionError } from "./expressions.js";
/** The function options compiled here. */
export const FLOW_OPTIONS = ["throttle", "rateLimit", "debounce", "batchEvents", "priority", "timeouts", "singleton"];
const SECOND = 1000;
const DAY = 24 * 60 * 60 * SECOND;
/** The server's bounds (pkg/inngest/function.go Validate, pkg/inngest/batch.go, consts.MaxBatchTTL). */
const LIMITS = {
    debouncePeriod: [SECOND, 7 * DAY],
    rateLimitPeriod: [SECOND, DAY],
    throttlePeriod: [SECOND, Infinity],
    batchTimeout: [SECOND, 10 * 60 * SECOND],
};
/** Options that Inngest refuses next to `batchEvents` (a batch has no single trigger event to key them on). */
const NOT_WITH_BATCH = ["cancelOn", "debounce", "singleton", "rateLimit", "idempotency"];
/**
 * Compiles the flow-control options (throttle, rateLimit, debounce, batchEvents, priority,
 * timeouts, singleton) with Inngest's bounds, and refuses the combinations the Inngest server
 * refuses, so a function that would misbehave stops the start instead.
 */
export function compileFlowControl(options, triggers, fail) {
    const expression = (source, where) => {
        if (typeof source !== "string" || source.trim() === "")
            fail(`${where} must be a CEL expression`);
        try {
            compileExpression(source, where);
        }
        catch (error) {
            if (error instanceof ExpressionError)
                fail(error.message);
            throw error;
        }
        return source;
    };
    const duration = (value, where, [min, max]) => {
        const ms = parseDurationMs(value);
        if (ms === undefined)
            fail(`${where}: ${JSON.stringify(value)} is not ${DURATION_HINT}`);
        if (ms < min || ms > max)
            fail(`${where} must be ${describeRange(min, max)}, not ${JSON.stringify(value)}`);
        return ms;
    };
    const integer = (value, where, min) => {
        if (!Number.isInteger(value) || value < min)
            fail(`${where} must be an integer of at least ${min}`);
        return value;
    };
    const object = (value, where, allowed) => {
        if (value === undefined)
            return undefined;
        if (value === null || typeof value !== "object" || Array.isArray(value))
            fail(`${where} must be an object`);
        for (const field of Object.keys(value))
            if (!allowed.includes(field))
                fail(`${where}: unknown field "${field}"`);
        return value;
    };
    const key = (value, where) => (value === undefined ? {} : { key: expression(value, where) });
    const flow = {};
    const throttle = object(options.throttle, "throttle", ["limit", "period", "key", "burst"]);
    if (throttle) {
        flow.throttle = {
            limit: integer(throttle.limit, "throttle.limit", 1),
            periodMs: duration(throttle.period, "throttle.period", LIMITS.throttlePeriod),
            burst: throttle.burst === undefined ? 0 : integer(throttle.burst, "throttle.burst", 0),
            ...key(throttle.key, "throttle.key"),
        };
    }
    const rateLimit = object(options.rateLimit, "rateLimit", ["limit", "period", "key"]);
    if (rateLimit) {
        if (options.idempotency !== undefined)
            fail("idempotency and rateLimit cannot be used together: in Inngest idempotency replaces rateLimit (it is a rate limit of 1 per 24 h)");
        flow.rateLimit = {
            limit: integer(rateLimit.limit, "rateLimit.limit", 1),
            periodMs: duration(rateLimit.period, "rateLimit.period", LIMITS.rateLimitPeriod),
            ...key(rateLimit.key, "rateLimit.key"),
        };
    }
    const debounce = object(options.debounce, "debounce", ["period", "key", "timeout"]);
    if (debounce) {
        flow.debounce = {
            periodMs: duration(debounce.period, "debounce.period", LIMITS.debouncePeriod),
            ...(debounce.timeout === undefined ? {} : { timeoutMs: duration(debounce.timeout, "debounce.timeout", [SECOND, Infinity]) }),
            ...key(debounce.key, "debounce.key"),
        };
    }
    const batch = object(options.batchEvents, "batchEvents", ["maxSize", "timeout", "key", "if"]);
    if (batch) {
        for (const option of NOT_WITH_BATCH) {
            const value = options[option];
            if (value !== undefined && !(Array.isArray(value) && value.length === 0))
                fail(`batchEvents cannot be used together with ${option} (as in Inngest)`);
        }
        if (options.priority?.run !== undefined)
            fail("batchEvents cannot be used together with priority.run (as in Inngest)");
        if (triggers.some((trigger) => trigger && typeof trigger === "object" && "cron" in trigger))
            fail("batchEvents needs event triggers: a cron tick is never batched");
        flow.batchEvents = {
            maxSize: integer(batch.maxSize, "batchEvents.maxSize", 2),
            timeoutMs: duration(batch.timeout, "batchEvents.timeout", LIMITS.batchTimeout),
            ...key(batch.key, "batchEvents.key"),
            ...(batch.if === undefined ? {} : { if: expression(batch.if, "batchEvents.if") }),
        };
    }
    const priority = object(options.priority, "priority", ["run"]);
    if (priority?.run !== undefined)
        flow.priority = { run: expression(priority.run, "priority.run") };
    const timeouts = object(options.timeouts, "timeouts", ["start", "finish"]);
    if (timeouts && (timeouts.start !== undefined || timeouts.finish !== undefined)) {
        flow.timeouts = {
            ...(timeouts.start === undefined ? {} : { startMs: duration(timeouts.start, "timeouts.start", [SECOND, Infinity]) }),
            ...(timeouts.finish === undefined ? {} : { finishMs: duration(timeouts.finish, "timeouts.finish", [SECOND, Infinity]) }),
        };
    }
    const singleton = object(options.singleton, "singleton", ["key", "mode"]);
    if (singleton) {
        if (singleton.mode !== "skip" && singleton.mode !== "cancel")
            fail(`singleton.mode must be "skip" or "cancel"`);
        flow.singleton = { mode: singleton.mode, ...key(singleton.key, "singleton.key") };
    }
    return Object.freeze(flow);
}
function describeRange(min, max) {
    const show = (ms) => (ms % DAY === 0 ? `${ms / DAY}d` : ms % 60_000 === 0 ? `${ms / 60_000}m` : `${ms / SECOND}s`);
    return max === Infinity ? `at least ${show(min)}` : `between ${show(min)} and ${show(max)}`;
}
