import { IDENTITY_SEALER } from "../crypto/sealer.js";
import { digest } from "../redis/keys.js";
import { testExpression } from "./expressions.js";
import { matchPathFromIf, parseMatchPath, readMatchPath } from "./match-path.js";
const IF_WAITERS_LIMIT = 1e4;
function waiterField(waiter, index = 0) {
  return waiter.kind === "wait" ? `${waiter.runId}|wait|${waiter.stepId}` : `${waiter.runId}|cancel|${index}`;
}
function matchOf(spec) {
  if (spec.match !== void 0) return { path: spec.match, rest: spec.if };
  const fromIf = spec.if === void 0 ? void 0 : matchPathFromIf(spec.if);
  return fromIf ? { path: fromIf } : { rest: spec.if };
}
function locateWaiter(keys, spec, trigger) {
  const { path } = matchOf(spec);
  if (path === void 0) return { key: keys.ifWaiters(spec.eventName), field: spec.field };
  const value = readMatchPath(trigger, parseMatchPath(path) ?? []);
  if (value === void 0) return void 0;
  const canonical = parseMatchPath(path)?.join(".") ?? path;
  return { key: keys.matchWaiters(spec.eventName, canonical, digest(JSON.stringify(value))), field: spec.field, paths: { key: keys.waiterPaths(spec.eventName), path: canonical } };
}
function waiterEntry(base, spec, trigger) {
  const { rest } = matchOf(spec);
  const entry = { ...base, triggerId: trigger.id };
  if (rest === void 0) return entry;
  return { ...entry, if: rest, trigger: { id: trigger.id, name: trigger.name, data: trigger.data, user: trigger.user, ts: trigger.ts } };
}
function waiterMatches(waiter, incoming) {
  if (waiter.triggerId === incoming.id) return false;
  return waiter.if === void 0 || testExpression(waiter.if, { event: waiter.trigger ?? {}, async: incoming });
}
function createWaiters(deps) {
  const { redis, keys } = deps;
  const sealer = deps.sealer ?? IDENTITY_SEALER;
  async function register(spec, trigger, base) {
    const location = locateWaiter(keys, spec, trigger);
    if (!location) return { result: "never" };
    if (!location.paths && await redis.hlen(location.key) >= IF_WAITERS_LIMIT) return { result: "full", location };
    const ttlSeconds = Math.max(Math.ceil((base.expiresAt - Date.now()) / 1e3) + 60, 60);
    const entry = waiterEntry(base, spec, trigger);
    const stored = entry.trigger ? { ...entry, trigger: sealer.sealEvent(entry.trigger) } : entry;
    const writes = [redis.hset(location.key, location.field, JSON.stringify(stored)), ...extend(location.key, ttlSeconds)];
    if (location.paths) writes.push(redis.sadd(location.paths.key, location.paths.path), ...extend(location.paths.key, ttlSeconds));
    await Promise.all(writes);
    return { result: "stored", location };
  }
  function extend(key, ttlSeconds) {
    return [redis.expire(key, ttlSeconds, "GT"), redis.expire(key, ttlSeconds, "NX")];
  }
  async function remove(locations) {
    const present = locations.filter((location) => location !== void 0);
    if (present.length === 0) return;
    const pipeline = redis.pipeline();
    for (const { key, field } of present) pipeline.hdel(key, field);
    await pipeline.exec();
  }
  async function readMatching(event, paths) {
    const keysToRead = paths.flatMap((path) => {
      const value = readMatchPath(event, parseMatchPath(path) ?? []);
      return value === void 0 ? [] : [keys.matchWaiters(event.name, path, digest(JSON.stringify(value)))];
    });
    if (keysToRead.length === 0) return [];
    const pipeline = redis.pipeline();
    for (const key of keysToRead) pipeline.hgetall(key);
    const replies = await pipeline.exec() ?? [];
    return keysToRead.map((key, i) => ({ key, entries: replies[i]?.[1] ?? {} }));
  }
  function parse(json) {
    const waiter = JSON.parse(json);
    return waiter.trigger ? { ...waiter, trigger: sealer.openEvent(waiter.trigger) } : waiter;
  }
  return { ifKey: keys.ifWaiters, pathsKey: keys.waiterPaths, register, remove, readMatching, parse };
}
export {
  IF_WAITERS_LIMIT,
  createWaiters,
  locateWaiter,
  waiterEntry,
  waiterField,
  waiterMatches
};
