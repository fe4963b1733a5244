import { readFileSync } from "node:fs";
import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { luaContract, pushInOrder, type ArgsOf } from "../util/lua-contract.ts";

/**
 * Sent whole with EVAL, not EVALSHA: after a Redis restart EVALSHA answers NOSCRIPT and ioredis
 * resends the script as EVAL, behind the add it must precede. The header is left out: the body is
 * a few hundred bytes, which Redis compiles once and caches.
 */
/** lua/drop-erased.lua: one flag per event, true when it names an erased user. */
export const dropErasedScript = luaContract({
  file: "drop-erased.lua",
  keys: [],
  moreKeys: "events",
  argv: ["markerMs"],
  moreArgv: "tombstoneCounts",
  replies: [1, 0],
  decode: (reply: unknown) => (reply as unknown[]).map((flag) => Number(flag) === 1),
});
export const DROP_ERASED = readFileSync(new URL(`./lua/${dropErasedScript.file}`, import.meta.url), "utf8");
const LUA = DROP_ERASED.replace(/^--\[\[[\s\S]*?\]\]\n/, "");

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
 * order, so the check lands first and both answers come back in one round trip. Resolves with one
 * flag per check (true: that event names an erased user, its add stores nothing); undefined when
 * there was nothing to check (no script sent at all).
 *
 * How it is sent keeps it ahead of the add. A lone add is one auto-pipelined command, queued
 * behind this one in the same pipeline (`followedBy: "command"`, on a connection that
 * auto-pipelines). addBulk is a MULTI, which ioredis writes at once, ahead of anything still
 * waiting for the next tick: then the check goes as a pipeline of its own, written at once too.
 */
export function sendErasureCheck(
  queue: Queue,
  redis: Redis,
  checks: readonly ErasureCheck[],
  followedBy: "command" | "transaction",
): Promise<boolean[]> | undefined {
  if (!checks.some((check) => check.tombstoneKeys.length > 0)) return undefined;
  const keys = checks.flatMap((check) => [`${queue.keys.de}:${check.dedupeId}`, ...check.tombstoneKeys]);
  const args: [number, ...Array<string | number>] = [keys.length, ...keys];
  pushInOrder<keyof ArgsOf<typeof dropErasedScript>, string | number>(args, dropErasedScript.argv, {
    markerMs: MARKER_MS,
  });
  for (const check of checks) args.push(check.tombstoneKeys.length);
  const queued = followedBy === "command" && redis.options.enableAutoPipelining === true;
  const reply: Promise<unknown> = queued
    ? redis.eval(LUA, ...args)
    : redis
        .pipeline()
        .eval(LUA, ...args)
        .exec()
        .then(firstReply);
  return reply.then(dropErasedScript.decode);
}

function firstReply(replies: Array<[Error | null, unknown]> | null): unknown {
  const [error, reply] = replies?.[0] ?? [new Error("no reply to the erasure check"), undefined];
  if (error) throw error;
  return reply;
}
