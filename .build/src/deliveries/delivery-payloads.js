import { IDENTITY_SEALER } from "../crypto/sealer.js";
function storeDeliveryPayload(transaction, key, payload, ttlSeconds, sealer = IDENTITY_SEALER) {
  transaction.set(key, JSON.stringify({ ...payload, body: sealer.seal(payload.body) }), "EX", ttlSeconds);
}
async function readDeliveryPayload(redis, key, sealer = IDENTITY_SEALER) {
  const stored = await redis.get(key);
  if (stored === null) return void 0;
  const payload = JSON.parse(stored);
  return { ...payload, body: sealer.open(payload.body) };
}
export {
  readDeliveryPayload,
  storeDeliveryPayload
};
