import { IDENTITY_SEALER } from "../crypto/sealer.js";
import { digest } from "../redis/keys.js";
import { testExpression } from "./expressions.js";
import { matchPathFromIf, parseMatchPath, readMatchPath } from "./match-path.js";
/** Beyond this many `if` waiters for one event name, a wait without `match` is refused. */
export const IF_WAITERS_LIMIT = 10_000;
export function waiterField(waiter, index = 0) {
    return waiter.kind === "wait" ? `${waiter.runId}|wait|${waiter.stepId}` : `${waiter.runId}|cancel|${index}`;
}
/** `match`, or the match an `if` of the form `event.x == async.x` amounts to. */
function matchOf(spec) {
    if (spec.match !== undefined)
        return { path: spec.match, rest: spec.if };
    const fromIf = spec.if === undefined ? undefined : matchPathFromIf(spec.if);
    return fromIf ? { path: fromIf } : { rest: spec.if };
}
/** Where a waiter for this trigger goes (pure). */
export function locateWaiter(keys, spec, trigger) {
    const { path } = matchOf(spec);
    if (path === undefined)
        return { key: keys.ifWaiters(spec.eventName), field: spec.field };
    const value = readMatchPath(trigger, parseMatchPath(path) ?? []);
    if (value === undefined)
        return undefined;
    const canonical = parseMatchPath(path)?.join(".") ?? path;
    return { key: keys.matchWaiters(spec.eventName, canonical, digest(JSON.stringify(value))), field: spec.field, paths: { key: keys.waiterPaths(spec.eventName), path: canonical } };
}
/** The waiter as stored: the trigger is copied only when a condition must still be checked. */
export function waiterEntry(base, spec, trigger) {
    const { rest } = matchOf(spec);
    const entry = { ...base, triggerId: trigger.id };
    if (rest === undefined)
        return entry;
    return { ...entry, if: rest, trigger: { id: trigger.id, name: trigger.name, data: trigger.data, user: trigger.user, ts: trigger.ts } };
}
/** Whether an incoming event satisfies a waiter read from its index: the condition, if any. */
export function waiterMatches(waiter, incoming) {
    if (waiter.triggerId === incoming.id)
        return false;
    return waiter.if === undefined || testExpression(waiter.if, { event: waiter.trigger ?? {}, async: incoming });
}
export function createWaiters(deps) {
    const { redis, keys } = deps;
    const sealer = deps.sealer ?? IDENTITY_SEALER;
    /**
     * Stores a waiter where the router will look for it. "never": it can never match (the trigger
     * lacks the match path), so nothing is stored; "full": the event name already has
     * IF_WAITERS_LIMIT waiters without a match. Auto-pipelined.
     */
    async function register(spec, trigger, base) {
        const location = locateWaiter(keys, spec, trigger);
        if (!location)
            return { result: "never" };
        if (!location.paths && (await redis.hlen(location.key)) >= IF_WAITERS_LIMIT)
            return { result: "full", location };
        const ttlSeconds = Math.max(Math.ceil((base.expiresAt - Date.now()) / 1000) + 60, 60);
        const entry = waiterEntry(base, spec, trigger);
        // The trigger's copy (kept for an `if`) is personal data: sealed like the event itself.
        const stored = entry.trigger ? { ...entry, trigger: sealer.sealEvent(entry.trigger) } : entry;
        const writes = [redis.hset(location.key, location.field, JSON.stringify(stored)), ...extend(location.key, ttlSeconds)];
        if (location.paths)
            writes.push(redis.sadd(location.paths.key, location.paths.path), ...extend(location.paths.key, ttlSeconds));
        await Promise.all(writes);
        return { result: "stored", location };
    }
    /** Keeps a key as long as its longest-lived waiter. */
    function extend(key, ttlSeconds) {
        return [redis.expire(key, ttlSeconds, "GT"), redis.expire(key, ttlSeconds, "NX")];
    }
    async function remove(locations) {
        const present = locations.filter((location) => location !== undefined);
        if (present.length === 0)
            return;
        const pipeline = redis.pipeline();
        for (const { key, field } of present)
            pipeline.hdel(key, field);
        await pipeline.exec();
    }
    /**
     * The match waiters an incoming event may settle, given the paths in use for its name (read
     * by the router's script): one HGETALL per path, on the hash its value names.
     */
    async function readMatching(event, paths) {
        const keysToRead = paths.flatMap((path) => {
            const value = readMatchPath(event, parseMatchPath(path) ?? []);
            return value === undefined ? [] : [keys.matchWaiters(event.name, path, digest(JSON.stringify(value)))];
        });
        if (keysToRead.length === 0)
            return [];
        const pipeline = redis.pipeline();
        for (const key of keysToRead)
            pipeline.hgetall(key);
        const replies = (await pipeline.exec()) ?? [];
        return keysToRead.map((key, i) => ({ key, entries: (replies[i]?.[1] ?? {}) }));
    }
    /** A waiter as read from its hash, its trigger's copy opened. */
    function parse(json) {
        const waiter = JSON.parse(json);
        return waiter.trigger ? { ...waiter, trigger: sealer.openEvent(waiter.trigger) } : waiter;
    }
    return { ifKey: keys.ifWaiters, pathsKey: keys.waiterPaths, register, remove, readMatching, parse };
}
