import type { Redis } from "ioredis";
import { IDENTITY_SEALER, type Sealer } from "../../crypto/sealer.ts";
import { digest, type BridgeKeys } from "../../redis/keys.ts";
import { testExpression } from "../definition/expressions.ts";
import { matchPathFromIf, parseMatchPath, readMatchPath } from "../definition/match-path.ts";
import type { FunctionEvent } from "../definition/types.ts";

/**
 * Runs waiting for an event: a step.waitForEvent ("wait") or a cancelOn ("cancel"), indexed by
 * what they match, so routing an event costs O(matching waiters), not O(all waiters):
 *
 * - a `match` waiter (or an `if` of the form `event.x == async.x`) sits under the event name, the
 *   path and the trigger's value there (`waiters:m:<name>:<path>:<value>`, digested), with only
 *   the fields a resume needs; the router reads the paths in use for the event's name, then the
 *   one hash per path that the incoming event's value names;
 * - any other `if` is arbitrary CEL over both events: it keeps a copy of the trigger and sits in
 *   one hash per event name, read whole, and bounded (IF_WAITERS_LIMIT).
 */
export interface Waiter {
  kind: "wait" | "cancel";
  runId: string;
  /** wait: the step to resolve, when it started and its place in the call order. */
  stepId?: string;
  stepName?: string;
  startedAt?: number;
  seq?: number;
  /** The trigger event's id: the trigger itself never settles its own run's waiters. */
  triggerId: string;
  /** A CEL condition still to check (the whole `if`, or what remains beside an indexed match). */
  if?: string;
  /** The run's trigger event (`event` in the condition); only kept when there is a condition. */
  trigger?: Pick<FunctionEvent, "id" | "name" | "data" | "user" | "ts">;
  expiresAt: number;
}

/** What a run waits for: the event's name, and `match` and/or `if` as the function declared them. */
export interface WaitSpec {
  eventName: string;
  field: string;
  match?: string;
  if?: string;
}

/** Where a waiter is stored; undefined when it can never match (the trigger lacks the match path). */
export interface WaiterLocation {
  key: string;
  field: string;
  /** For a match waiter: the paths set of the event name, which must list its path. */
  paths?: { key: string; path: string };
}

/** Beyond this many `if` waiters for one event name, a wait without `match` is refused. */
export const IF_WAITERS_LIMIT = 10_000;

export function waiterField(waiter: Pick<Waiter, "kind" | "runId" | "stepId">, index = 0): string {
  return waiter.kind === "wait" ? `${waiter.runId}|wait|${waiter.stepId}` : `${waiter.runId}|cancel|${index}`;
}

/** `match`, or the match an `if` of the form `event.x == async.x` amounts to. */
function matchOf(spec: Pick<WaitSpec, "match" | "if">): { path?: string; rest?: string } {
  if (spec.match !== undefined) return { path: spec.match, rest: spec.if };
  const fromIf = spec.if === undefined ? undefined : matchPathFromIf(spec.if);
  return fromIf ? { path: fromIf } : { rest: spec.if };
}

/** Where a waiter for this trigger goes (pure). */
export function locateWaiter(keys: BridgeKeys, spec: WaitSpec, trigger: FunctionEvent): WaiterLocation | undefined {
  const { path } = matchOf(spec);
  if (path === undefined) return { key: keys.ifWaiters(spec.eventName), field: spec.field };
  const value = readMatchPath(trigger, parseMatchPath(path) ?? []);
  if (value === undefined) return undefined;
  const canonical = parseMatchPath(path)?.join(".") ?? path;
  return {
    key: keys.matchWaiters(spec.eventName, canonical, digest(JSON.stringify(value))),
    field: spec.field,
    paths: { key: keys.waiterPaths(spec.eventName), path: canonical },
  };
}

/** The waiter as stored: the trigger is copied only when a condition must still be checked. */
export function waiterEntry(
  base: Omit<Waiter, "if" | "trigger" | "triggerId">,
  spec: WaitSpec,
  trigger: FunctionEvent,
): Waiter {
  const { rest } = matchOf(spec);
  const entry: Waiter = { ...base, triggerId: trigger.id };
  if (rest === undefined) return entry;
  return {
    ...entry,
    if: rest,
    trigger: { id: trigger.id, name: trigger.name, data: trigger.data, user: trigger.user, ts: trigger.ts },
  };
}

/** Whether an incoming event satisfies a waiter read from its index: the condition, if any. */
export function waiterMatches(waiter: Waiter, incoming: FunctionEvent): boolean {
  if (waiter.triggerId === incoming.id) return false;
  return waiter.if === undefined || testExpression(waiter.if, { event: waiter.trigger ?? {}, async: incoming });
}

export function createWaiters(deps: { redis: Redis; keys: BridgeKeys; sealer?: Sealer }) {
  const { redis, keys } = deps;
  const sealer = deps.sealer ?? IDENTITY_SEALER;

  /**
   * Stores a waiter where the router will look for it. "never": it can never match (the trigger
   * lacks the match path), so nothing is stored; "full": the event name already has
   * IF_WAITERS_LIMIT waiters without a match. Auto-pipelined.
   */
  async function register(
    spec: WaitSpec,
    trigger: FunctionEvent,
    base: Omit<Waiter, "if" | "trigger" | "triggerId">,
  ): Promise<{ result: "stored" | "never" | "full"; location?: WaiterLocation }> {
    const location = locateWaiter(keys, spec, trigger);
    if (!location) return { result: "never" };
    if (!location.paths && (await redis.hlen(location.key)) >= IF_WAITERS_LIMIT) return { result: "full", location };
    const ttlSeconds = Math.max(Math.ceil((base.expiresAt - Date.now()) / 1000) + 60, 60);
    const entry = waiterEntry(base, spec, trigger);
    // The trigger's copy (kept for an `if`) is personal data: sealed like the event itself.
    const stored = entry.trigger ? { ...entry, trigger: sealer.sealEvent(entry.trigger) } : entry;
    const writes: Array<Promise<unknown>> = [
      redis.hset(location.key, location.field, JSON.stringify(stored)),
      ...extend(location.key, ttlSeconds),
    ];
    if (location.paths)
      writes.push(redis.sadd(location.paths.key, location.paths.path), ...extend(location.paths.key, ttlSeconds));
    await Promise.all(writes);
    return { result: "stored", location };
  }

  /** Keeps a key as long as its longest-lived waiter. */
  function extend(key: string, ttlSeconds: number): Array<Promise<unknown>> {
    return [redis.expire(key, ttlSeconds, "GT"), redis.expire(key, ttlSeconds, "NX")];
  }

  async function remove(locations: ReadonlyArray<WaiterLocation | undefined>): Promise<void> {
    const present = locations.filter((location): location is WaiterLocation => location !== undefined);
    if (present.length === 0) return;
    const pipeline = redis.pipeline();
    for (const { key, field } of present) pipeline.hdel(key, field);
    await pipeline.exec();
  }

  /**
   * The match waiters an incoming event may settle, given the paths in use for its name (read
   * by the router's script): one HGETALL per path, on the hash its value names.
   */
  async function readMatching(
    event: FunctionEvent,
    paths: readonly string[],
  ): Promise<Array<{ key: string; entries: Record<string, string> }>> {
    const keysToRead = paths.flatMap((path) => {
      const value = readMatchPath(event, parseMatchPath(path) ?? []);
      return value === undefined ? [] : [keys.matchWaiters(event.name, path, digest(JSON.stringify(value)))];
    });
    if (keysToRead.length === 0) return [];
    const pipeline = redis.pipeline();
    for (const key of keysToRead) pipeline.hgetall(key);
    const replies = (await pipeline.exec()) ?? [];
    return keysToRead.map((key, i) => ({ key, entries: (replies[i]?.[1] ?? {}) as Record<string, string> }));
  }

  /** A waiter as read from its hash, its trigger's copy opened. */
  function parse(json: string): Waiter {
    const waiter = JSON.parse(json) as Waiter;
    return waiter.trigger ? { ...waiter, trigger: sealer.openEvent(waiter.trigger) } : waiter;
  }

  return { ifKey: keys.ifWaiters, pathsKey: keys.waiterPaths, register, remove, readMatching, parse };
}

export type Waiters = ReturnType<typeof createWaiters>;
