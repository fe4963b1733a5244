import type { ChainableCommander, Redis } from "ioredis";
import { engineKeys } from "./engine-keys.ts";
import { testExpression } from "./expressions.ts";
import type { FunctionEvent } from "./types.ts";

/**
 * Runs waiting for an event, registered under that event's exact name: a step.waitForEvent
 * ("wait") or a cancelOn ("cancel"). The router reads the hash of the incoming event's name (one
 * HGETALL per event) and matches there and then: no polling.
 */
export interface Waiter {
  kind: "wait" | "cancel";
  runId: string;
  /** wait: the step to resolve, and when it started (to keep the step order). */
  stepId?: string;
  stepName?: string;
  startedAt?: number;
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
    const expected = readPath(waiter.trigger, waiter.match);
    if (expected === undefined || !isEqual(expected, readPath(incoming, waiter.match))) return false;
  }
  return waiter.if === undefined || testExpression(waiter.if, { event: waiter.trigger, async: incoming });
}

export function triggerOf(event: FunctionEvent): Waiter["trigger"] {
  return { id: event.id, name: event.name, data: event.data, user: event.user, ts: event.ts };
}

export function createWaiters(deps: { redis: Redis; prefix: string }) {
  const keys = engineKeys(deps.prefix);

  function pipeRegister(pipeline: ChainableCommander, eventName: string, field: string, waiter: Waiter): ChainableCommander {
    const key = keys.waiters(eventName);
    const ttlSeconds = Math.max(Math.ceil((waiter.expiresAt - Date.now()) / 1000) + 60, 60);
    // The hash lives as long as its longest waiter; the router drops expired entries it meets.
    return pipeline.hset(key, field, JSON.stringify(waiter)).expire(key, ttlSeconds, "GT").expire(key, ttlSeconds, "NX");
  }

  async function register(eventName: string, field: string, waiter: Waiter): Promise<void> {
    await pipeRegister(deps.redis.pipeline(), eventName, field, waiter).exec();
  }

  async function remove(entries: Array<{ eventName: string; field: string }>): Promise<void> {
    if (entries.length === 0) return;
    const pipeline = deps.redis.pipeline();
    for (const { eventName, field } of entries) pipeline.hdel(keys.waiters(eventName), field);
    await pipeline.exec();
  }

  function pipeLoad(pipeline: ChainableCommander, eventName: string): ChainableCommander {
    return pipeline.hgetall(keys.waiters(eventName));
  }

  return { pipeRegister, register, remove, pipeLoad };
}

export type Waiters = ReturnType<typeof createWaiters>;

function readPath(source: unknown, path: string): unknown {
  let value = source;
  for (const part of path.replace(/^(event|async)\./, "").split(".")) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function isEqual(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === "object" && a !== null && JSON.stringify(a) === JSON.stringify(b));
}
