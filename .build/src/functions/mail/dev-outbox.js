const OUTBOX_CAP = 200;
async function pushOutbox(redis, key, entry, cap = OUTBOX_CAP) {
  await redis.multi().lpush(key, JSON.stringify(entry)).ltrim(key, 0, cap - 1).exec();
}
async function listOutbox(redis, key, options = {}) {
  const limit = Math.max(1, Math.min(options.limit ?? 50, OUTBOX_CAP));
  const offset = Math.max(0, options.offset ?? 0);
  const raw = await redis.lrange(key, offset, offset + limit - 1);
  return raw.flatMap((item) => {
    try {
      return [JSON.parse(item)];
    } catch {
      return [];
    }
  });
}
export {
  OUTBOX_CAP,
  listOutbox,
  pushOutbox
};
