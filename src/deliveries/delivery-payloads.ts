import type { ChainableCommander, Redis } from "ioredis";
import { IDENTITY_SEALER, type Sealer } from "../crypto/sealer.ts";

/**
 * What a failed delivery keeps so that it can be re-run once its template is fixed: the verified
 * body exactly as Svix sent it (parsed again on the re-run, as the webhook route parses it) and
 * the headers a template sees. Only ever written for a body whose signature checked out.
 */
export interface DeliveryPayload {
  source: string;
  svixId: string;
  /** svix-timestamp, in seconds. */
  svixTimestamp: number;
  body: string;
}

/**
 * The one place a payload is written: webhook payloads are personal data (names, email
 * addresses), so when the bridge encrypts data at rest this is where it encrypts. Queued on the
 * caller's transaction, so the payload and its log entry are one round trip.
 */
export function storeDeliveryPayload(
  transaction: ChainableCommander,
  key: string,
  payload: DeliveryPayload,
  ttlSeconds: number,
  sealer: Sealer = IDENTITY_SEALER,
): void {
  transaction.set(key, JSON.stringify({ ...payload, body: sealer.seal(payload.body) }), "EX", ttlSeconds);
}

/** The one place a payload is read back (and, with encryption, decrypted). */
export async function readDeliveryPayload(
  redis: Redis,
  key: string,
  sealer: Sealer = IDENTITY_SEALER,
): Promise<DeliveryPayload | undefined> {
  const stored = await redis.get(key);
  if (stored === null) return undefined;
  const payload = JSON.parse(stored) as DeliveryPayload;
  return { ...payload, body: sealer.open(payload.body) as string };
}
