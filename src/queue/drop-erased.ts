import { readFileSync } from "node:fs";
import type { Queue } from "bullmq";
import type { Redis } from "ioredis";

/**
 * Sent whole with EVAL, not EVALSHA: after a Redis restart EVALSHA answers NOSCRIPT and ioredis
 * resends the script as EVAL, behind the add it must precede. The header is left out: the body is
 * a few hundred bytes, which Redis compiles once and caches.
 */
const LUA = readFileSync(new URL("./lua/drop-erased.lua", import.meta.url), "utf8").replace(/^--\[\[[\s\S]*?\]\]\n/, "");

/** How long the marker that stops an erased user's event lives: only the add right behind it needs it. */
const MARKER_MS = 5 * 60 * 1000;

export interface ErasureCheck {
  /** The BullMQ deduplication id the add will use. */
  dedupeId: string;
  /** The tombstone keys of the users the event names (none: the event is not checked). */
  tombstoneKeys: string[];
}

/**
 * Sends lua/drop-erased.lua for the events that name users, WITHOUT waiting: the caller sends
 * BullMQ's add right after on the same connection, and Redis runs a connection's commands in
 * order, so the check lands first and both answers come back in one round trip. It goes as a
 * pipeline of its own, which ioredis writes to the socket at once: an auto-pipelined command
 * would wait for the next tick, and BullMQ's addBulk (a MULTI, written at once) would overtake it.
 * Resolves with one flag per check (true: that event names an erased user, its add stores
 * nothing); undefined when there was nothing to check (no script sent at all).
 */
export function sendErasureCheck(queue: Queue, redis: Redis, checks: readonly ErasureCheck[]): Promise<boolean[]> | undefined {
  if (!checks.some((check) => check.tombstoneKeys.length > 0)) return undefined;
  const keys = checks.flatMap((check) => [`${queue.keys.de}:${check.dedupeId}`, ...check.tombstoneKeys]);
  const counts = checks.map((check) => check.tombstoneKeys.length);
  return redis
    .pipeline()
    .eval(LUA, keys.length, ...keys, MARKER_MS, ...counts)
    .exec()
    .then((replies) => {
      const [error, flags] = replies?.[0] ?? [new Error("no reply to the erasure check")];
      if (error) throw error;
      return (flags as number[]).map((flag) => Number(flag) === 1);
    });
}
