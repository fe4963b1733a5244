import type { Redis } from "ioredis";
import { StartupError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import { isSealed, SealError, sealedKeyId, type Sealer } from "./sealer.ts";

const CANARY = "clerk-webhook-bridge";

/** Where the start check keeps its state: the canary, and the replaced keys `bridge rekey` has not yet moved data off. */
export interface EncryptionCheckKeys {
  encryptionCheck: string;
  encryptionRetiring: string;
}

/**
 * A wrong ENCRYPTION_KEY must stop the start, not fail a run in the middle: Redis keeps a canary
 * sealed with the newest key. A key list that cannot open it, or no key while it exists, is a
 * configuration error naming the variable. Unset, a warning.
 *
 * A rotation (`key2,key1`) re-seals the canary with the new key and notes key1 as retiring: data
 * sealed with it may remain until `bridge rekey` has moved it (rekey.ts), and while it is noted a
 * list without key1 is refused, since that data could no longer be opened. Once rekey is done,
 * `key2` alone starts, and key1 is retired.
 */
export async function checkEncryptionKey(
  redis: Redis,
  keys: EncryptionCheckKeys,
  sealer: Sealer,
  logger: Logger,
): Promise<void> {
  const stored = await redis.get(keys.encryptionCheck);
  if (!sealer.enabled) {
    if (stored !== null) {
      throw new StartupError(
        "config_invalid",
        "invalid configuration:\n  ENCRYPTION_KEY: this Redis holds data sealed with an ENCRYPTION_KEY, and none is set; set the same key (and any older one still in use)",
      );
    }
    logger.warn(
      "ENCRYPTION_KEY is not set: Clerk users' names, emails and phone numbers are stored in Redis in clear (set ENCRYPTION_KEY=$(openssl rand -base64 32))",
    );
    return;
  }
  if (stored === null || !isSealed(stored)) {
    await redis.set(keys.encryptionCheck, sealer.seal(CANARY) as string);
    return;
  }
  openCanary(stored, sealer);
  const previous = sealedKeyId(stored);
  if (previous !== sealer.keyId) {
    // Noted before the canary moves on: a crash in between leaves the old key noted, never lost.
    await redis.sadd(keys.encryptionRetiring, previous);
    await redis.set(keys.encryptionCheck, sealer.seal(CANARY) as string);
    logger.info(
      { newKey: sealer.keyId, retiring: previous },
      "ENCRYPTION_KEY: a new key seals from now on; run `bridge rekey` to move what the older key sealed, then drop it from the list",
    );
  }
  const retiring = await redis.smembers(keys.encryptionRetiring);
  const missing = retiring.filter((id) => !sealer.keyIds.includes(id));
  if (missing.length > 0) {
    throw new StartupError(
      "config_invalid",
      `invalid configuration:\n  ENCRYPTION_KEY: data sealed with key ${missing.join(", ")} may remain in this Redis (bridge rekey has not finished since that key was replaced); list it after the new key and run bridge rekey`,
    );
  }
}

function openCanary(stored: string, sealer: Sealer): void {
  try {
    if (sealer.open(stored) !== CANARY) throw new SealError("the canary does not read back");
  } catch (error) {
    throw new StartupError(
      "config_invalid",
      `invalid configuration:\n  ENCRYPTION_KEY: none of the configured keys opens the data in this Redis (it was sealed with key ${sealedKeyId(stored)}); during a rotation keep the old key after the new one`,
      { cause: error },
    );
  }
}
