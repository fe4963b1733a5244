import type { Redis } from "ioredis";
import type { PersonalDataStore } from "../../events/personal-data.ts";
import type { BridgeKeys } from "../../redis/keys.ts";

/**
 * The development outbox: without SMTP_URL, emails land in a capped Redis list instead of a mail
 * server, newest first, so a developer sees them in the dashboard (/api/outbox). Its key is
 * `keys.outbox` (src/redis/keys.ts).
 */

export const OUTBOX_CAP = 200;

export interface OutboxEntry {
  messageId: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Epoch milliseconds. */
  sentAt: number;
}

/** Prepends an entry and trims the list to `cap`, in one round trip. */
export async function pushOutbox(redis: Redis, key: string, entry: OutboxEntry, cap = OUTBOX_CAP): Promise<void> {
  await redis
    .multi()
    .lpush(key, JSON.stringify(entry))
    .ltrim(key, 0, cap - 1)
    .exec();
}

/** The newest `limit` emails (at most the cap), newest first; unreadable entries are skipped. */
export async function listOutbox(
  redis: Redis,
  key: string,
  options: { limit?: number; offset?: number } = {},
): Promise<OutboxEntry[]> {
  const limit = Math.max(1, Math.min(options.limit ?? 50, OUTBOX_CAP));
  const offset = Math.max(0, options.offset ?? 0);
  const raw = await redis.lrange(key, offset, offset + limit - 1);
  return raw.flatMap((item) => {
    try {
      return [JSON.parse(item) as OutboxEntry];
    } catch {
      return [];
    }
  });
}

/** Erasure of the outbox entries addressed to the user: removed one by one (LREM of the exact entry). */
export const userOutbox: PersonalDataStore<{ redis: Redis; keys: Pick<BridgeKeys, "outbox"> }> = {
  name: "outbox",
  holds: "development emails (SMTP_URL unset) to the user's addresses",
  families: ["outbox"],
  async erase({ redis, keys }, { emails }) {
    if (emails.size === 0) return { emails: 0 };
    const entries = await redis.lrange(keys.outbox, 0, -1);
    const doomed = entries.filter((entry) => {
      try {
        return emails.has(String((JSON.parse(entry) as { to?: unknown }).to));
      } catch {
        return false;
      }
    });
    for (const entry of doomed) await redis.lrem(keys.outbox, 0, entry);
    return { emails: doomed.length };
  },
};
