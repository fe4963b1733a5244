import { parseArgs } from "node:util";
import { cliClients } from "../app/cli-clients.ts";
import { loadConfig } from "../config/load-config.ts";
import { checkEncryptionKey } from "../crypto/check-encryption-key.ts";
import { rekey, type RekeyProgress } from "../crypto/rekey.ts";
import { createSealer } from "../crypto/sealer.ts";
import { createLogger } from "../logger.ts";
import { bridgeKeys } from "../redis/keys.ts";
import { UsageError, type CliIo } from "./cli-io.ts";

/**
 * `bridge rekey [--batch n]`: re-seals with the first ENCRYPTION_KEY everything in the bridge's
 * Redis (REDIS_URL, REDIS_PREFIX) still sealed with an older one, printing progress; an
 * interrupted run resumes where it stopped. Once it reports nothing left, the older keys may go.
 */
export async function rekeyCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { batch: { type: "string" } } });
  const batch = values.batch === undefined ? 500 : Number(values.batch);
  if (!Number.isInteger(batch) || batch < 1)
    throw new UsageError(`--batch must be a whole number of keys, got "${values.batch}"`);
  const config = loadConfig({ ...io.env, ROLE: "receiver" });
  const sealer = createSealer(config.encryptionKeys);
  if (!sealer.enabled)
    throw new UsageError(
      "ENCRYPTION_KEY is not set: list the new key first and the old ones after it (ENCRYPTION_KEY=new,old)",
    );
  const logger = createLogger(io.env.LOG_LEVEL ? config.logLevel : "warn", io.stderr, "json");
  const redis = await cliClients(config, logger).redis();
  try {
    const keys = bridgeKeys(config.redisPrefix);
    // The start check first: it refuses a key list that cannot open what is stored, and notes the key being replaced.
    await checkEncryptionKey(redis, keys, sealer, logger);
    const report = (progress: RekeyProgress) =>
      io.stdout.write(
        `rekey: ${progress.scanned} keys scanned, ${progress.moved} values re-sealed with key ${sealer.keyId}${progress.left > 0 ? `, ${progress.left} left` : ""}\n`,
      );
    const done = await rekey({ redis, keys, sealer, batch, onProgress: report });
    if (done.resumed) io.stdout.write("rekey: resumed where the previous run stopped\n");
    if (done.left > 0) {
      io.stdout.write(
        `rekey: ${done.left} values are still sealed with an older key (one not in ENCRYPTION_KEY, or rewritten meanwhile); keep the old keys listed and run it again\n`,
      );
      return 1;
    }
    const older = sealer.keyIds.filter((id) => id !== sealer.keyId);
    io.stdout.write(
      `rekey: done; nothing is sealed with an older key any more${older.length > 0 ? `: ENCRYPTION_KEY may now list the first key alone (retired: ${older.join(", ")})` : ""}\n`,
    );
    return 0;
  } finally {
    redis.disconnect();
  }
}
