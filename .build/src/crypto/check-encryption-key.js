import { StartupError } from "../errors.js";
import { isSealed, SealError } from "./sealer.js";
const CANARY = "clerk-webhook-bridge";
async function checkEncryptionKey(redis, key, sealer, logger) {
  const stored = await redis.get(key);
  if (!sealer.enabled) {
    if (stored !== null) {
      throw new StartupError("config_invalid", "invalid configuration:\n  ENCRYPTION_KEY: this Redis holds data sealed with an ENCRYPTION_KEY, and none is set; set the same key (and any older one still in use)");
    }
    logger.warn("ENCRYPTION_KEY is not set: Clerk users' names, emails and phone numbers are stored in Redis in clear (set ENCRYPTION_KEY=$(openssl rand -base64 32))");
    return;
  }
  if (stored === null || !isSealed(stored)) {
    await redis.set(key, sealer.seal(CANARY));
    return;
  }
  try {
    if (sealer.open(stored) !== CANARY) throw new SealError("the canary does not read back");
  } catch (error) {
    const id = stored.split(":")[2];
    throw new StartupError(
      "config_invalid",
      `invalid configuration:
  ENCRYPTION_KEY: none of the configured keys opens the data in this Redis (it was sealed with key ${id}); during a rotation keep the old key after the new one`,
      { cause: error }
    );
  }
}
export {
  checkEncryptionKey
};
