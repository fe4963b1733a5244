import type { Redis } from "ioredis";
import { stringsOf } from "./replies.ts";

/**
 * The ids listed under `key` (a hash whose fields are the ids) and under `legacyKey` (the set of
 * strings earlier versions kept, read until it expires), in one round trip, each id once.
 */
export async function idsIn(redis: Redis, key: string, legacyKey: string): Promise<string[]> {
  const replies = (await redis.pipeline().hkeys(key).smembers(legacyKey).exec()) ?? [];
  const ids = new Set<string>();
  for (const [error, list] of replies) {
    if (error) throw error;
    for (const id of stringsOf(list)) ids.add(id);
  }
  return [...ids];
}
