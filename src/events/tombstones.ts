import type { Redis } from "ioredis";
import type { BridgeKeys } from "../redis/keys.ts";

export interface TombstoneDeps {
  redis: Redis;
  keys: BridgeKeys;
  /** TOMBSTONE_TTL: at least Svix's retry schedule (config/schema.ts refuses less). */
  ttlMs: number;
}

/**
 * An erased user's tombstone: one key per user, named by the digest of the id and holding
 * nothing else, that expires after TOMBSTONE_TTL. Clerk never reuses a user id, so while it
 * lives no event naming that user may start a run, send anything or store their data again:
 * the intake drops such events (accept-events.ts), the router skips any that slipped in before
 * the erasure (route-event.ts), and the built-in senders look again right before each send.
 */
export function createTombstones(deps: TombstoneDeps) {
  const { redis, keys } = deps;

  /** Written before anything is erased, so an event arriving during the erasure is refused too. */
  async function write(userId: string): Promise<{ expiresAt: number }> {
    await redis.set(keys.tombstone(userId), "1", "PX", deps.ttlMs);
    return { expiresAt: Date.now() + deps.ttlMs };
  }

  /** Whether this user was erased (within TOMBSTONE_TTL). The one question reconciliation asks. */
  async function isErased(userId: string): Promise<boolean> {
    return (await redis.exists(keys.tombstone(userId))) > 0;
  }

  /** Whether any of these users was erased: one EXISTS for all of them. */
  async function anyErased(userIds: readonly string[]): Promise<boolean> {
    if (userIds.length === 0) return false;
    return (await redis.exists(...userIds.map((userId) => keys.tombstone(userId)))) > 0;
  }

  return { write, isErased, anyErased };
}

export type Tombstones = ReturnType<typeof createTombstones>;
