import { IDENTITY_SEALER } from "../crypto/sealer.js";
/**
 * The one place a payload is written: webhook payloads are personal data (names, email
 * addresses), so when the bridge encrypts data at rest this is where it encrypts. Queued on the
 * caller's transaction, so the payload and its log entry are one round trip.
 */
export function storeDeliveryPayload(transaction, key, payload, ttlSeconds, sealer = IDENTITY_SEALER) {
    transaction.set(key, JSON.stringify({ ...payload, body: sealer.seal(payload.body) }), "EX", ttlSeconds);
}
/** The one place a payload is read back (and, with encryption, decrypted). */
export async function readDeliveryPayload(redis, key, sealer = IDENTITY_SEALER) {
    const stored = await redis.get(key);
    if (stored === null)
        return undefined;
    const payload = JSON.parse(stored);
    return { ...payload, body: sealer.open(payload.body) };
}
