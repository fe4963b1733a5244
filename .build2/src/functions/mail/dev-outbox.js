/**
 * The development outbox: without SMTP_URL, emails land in a capped Redis list instead of a mail
 * server, newest first, so a developer sees them in the dashboard (/api/outbox). Its key is
 * `keys.outbox` (src/redis/keys.ts).
 */
export const OUTBOX_CAP = 200;
/** Prepends an entry and trims the list to `cap`, in one round trip. */
export async function pushOutbox(redis, key, entry, cap = OUTBOX_CAP) {
    await redis.multi().lpush(key, JSON.stringify(entry)).ltrim(key, 0, cap - 1).exec();
}
/** The newest `limit` emails (at most the cap), newest first; unreadable entries are skipped. */
export async function listOutbox(redis, key, options = {}) {
    const limit = Math.max(1, Math.min(options.limit ?? 50, OUTBOX_CAP));
    const offset = Math.max(0, options.offset ?? 0);
    const raw = await redis.lrange(key, offset, offset + limit - 1);
    return raw.flatMap((item) => {
        try {
            return [JSON.parse(item)];
        }
        catch {
            return [];
        }
    });
}
