import type { Redis } from "ioredis";
import type { BridgeKeys } from "../redis/keys.ts";
import { testExpression } from "./expressions.ts";
import { parseMatchPath, readMatchPath } from "./match-path.ts";
import type { FunctionEvent } from "./types.ts";

/**
 * Runs waiting for an event, registered under that event's exact name: a step.waitForEvent
 * ("wait") or a cancelOn ("cancel"). The router reads the hash of the incoming event's name (one
 * HGETALL per event) and matches there and then: no polling.
 */
export interface Waiter {
  kind: "wait" | "cancel";
  runId: string;
  /** wait: the step to resolve, when it started and its place in the call order. */
  stepId?: string;
  stepName?: string;
  startedAt?: number;
  seq?: number;
  if?: string;
  match?: string;
  /** The run's trigger event (`event` in the expression). */
  trigger: Pick<FunctionEvent, "id" | "name" | "data" | "user" | "ts">;
  expiresAt: number;
}

export function waiterField(waiter: Pick<Waiter, "kind" | "runId" | "stepId">, index = 0): string {
  return waiter.kind === "wait" ? `${waiter.runId}|wait|${waiter.stepId}` : `${waiter.runId}|cancel|${index}`;
}

/** Whether an incoming event satisfies a waiter, pure: `match` paths equal, then `if` true. */
export function waiterMatches(waiter: Waiter, incoming: FunctionEvent): boolean {
  if (waiter.match !== undefined) {
    const parts = parseMatchPath(waiter.match) ?? [];
    const expected = readMatchPath(waiter.trigger, parts);
    if (expected === undefined || !isEqual(expected, readMatchPath(incoming, parts))) return false;
  }
  return waiter.if === undefined || testExpression(waiter.if, { event: waiter.trigger, async: incoming });
}

export function triggerOf(event: FunctionEvent): Waiter["trigger"] {
  return { id: event.id, name: event.name, data: event.data, user: event.user, ts: event.ts };
}

export function createWaiters(deps: { redis: Redis; keys: BridgeKeys }) {
  const { keys } = deps;

  /** Sent as separate commands: the client's auto-pipelining batches them with everyone else's. */
  async function register(eventName: string, field: string, waiter: Waiter): Promise<void> {
    const key = keys.waiters(eventName);
    const ttlSeconds = Math.max(Math.ceil((waiter.expiresAt - Date.now()) / 1000) + 60, 60);
    await Promise.all([
      deps.redis.hset(key, field, JSON.stringify(waiter)),
      deps.redis.expire(key, ttlSeconds, "GT"),
      deps.redis.expire(key, ttlSeconds, "NX"),
    ]);
  }

  async function remove(entries: Array<{ eventName: string; field: string }>): Promise<void> {
    if (entries.length === 0) return;
    const pipeline = deps.redis.pipeline();
    for (const { eventName, field } of entries) pipeline.hdel(keys.waiters(eventName), field);
    await pipeline.exec();
  }

  return { key: keys.waiters, register, remove };
}

export type Waiters = ReturnType<typeof createWaiters>;

function isEqual(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === "object" && a !== null && JSON.stringify(a) === JSON.stringify(b));
}
