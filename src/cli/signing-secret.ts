import { isStartupError } from "../errors.ts";
import { LOCAL_SECRET_SOURCE, localSecretFile, readLocalWebhookSecret } from "../webhooks/local-webhook-secret.ts";
import { parseWebhookSecrets, secretVariableOf } from "../webhooks/webhook-secrets.ts";
import { UsageError, type CliIo } from "./cli-io.ts";

/**
 * The secret `bridge sign` and `bridge trigger` sign with: the one the bridge verifies with.
 * That is `<SOURCE>_WEBHOOK_SECRET` (its first secret, during a rotation), checked as the
 * bridge checks it; else, for Clerk outside production, the local secret a development bridge
 * made in DATA_DIR at its first start. `from` says which, for the command to print.
 */
export function signingSecretFor(source: string, env: CliIo["env"]): { secret: string; from: string } {
  const variable = secretVariableOf(source);
  const value = env[variable]?.trim();
  if (value) {
    const { secrets, problems } = parseWebhookSecrets(value);
    if (problems.length > 0) throw new UsageError(`${variable}: ${problems.join("; ")}`);
    if (secrets[0]) return { secret: secrets[0], from: variable };
  }
  const dataDir = env.DATA_DIR || "data";
  const local = source === LOCAL_SECRET_SOURCE && env.NODE_ENV !== "production" ? readLocal(dataDir) : undefined;
  if (local) return { secret: local, from: `the local secret in ${localSecretFile(dataDir)}` };
  const fallback =
    source === LOCAL_SECRET_SOURCE
      ? `, and there is no local secret in ${localSecretFile(dataDir)} (npm start makes one in development; set DATA_DIR to the bridge's)`
      : "";
  throw new UsageError(`${variable} is not set${fallback}: sign with the same whsec_... secret as the bridge`);
}

function readLocal(dataDir: string): string | undefined {
  try {
    return readLocalWebhookSecret(dataDir);
  } catch (error) {
    // A damaged file is the user's to fix: one line, no stack.
    if (isStartupError(error)) throw new UsageError(error.message);
    throw error;
  }
}
