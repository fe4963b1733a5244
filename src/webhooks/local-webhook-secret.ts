import { randomBytes } from "node:crypto";
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { StartupError } from "../errors.ts";
import { parseWebhookSecrets, secretVariableOf } from "./webhook-secrets.ts";
import { errorCodeOf, messageOf } from "../util/thrown.ts";

/**
 * A signing secret of the bridge's own for /webhooks/clerk while CLERK_WEBHOOK_SECRET is unset in
 * development: a fresh clone answers a signed delivery (`npx bridge trigger user.created`) with
 * no secret to invent first. It lives in DATA_DIR, so every process of the bridge started there
 * (the supervisor's, several `--role receiver`) verifies with the same one, and the CLI signs
 * with it. Under NODE_ENV=production none is made: an unset secret stays a refusal (401).
 */
export const LOCAL_SECRET_SOURCE = "clerk";

export interface LocalWebhookSecret {
  source: string;
  secret: string;
  file: string;
  /** True for the process that wrote the file (the first start). */
  created: boolean;
}

export function localSecretFile(dataDir: string, source = LOCAL_SECRET_SOURCE): string {
  return join(dataDir, `${source}-webhook-secret`);
}

/** The local secret, when a bridge in development made one in this DATA_DIR; undefined otherwise. */
export function readLocalWebhookSecret(dataDir: string, source = LOCAL_SECRET_SOURCE): string | undefined {
  const file = localSecretFile(dataDir, source);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if (errorCodeOf(error) === "ENOENT") return undefined;
    throw new StartupError("config_invalid", `cannot read the local webhook secret ${file}: ${messageOf(error)}`);
  }
  const { secrets, problems } = parseWebhookSecrets(text);
  if (problems.length > 0 || secrets.length !== 1) {
    throw new StartupError(
      "config_invalid",
      `${file} (the local webhook secret): ${problems[0] ?? "must hold one whsec_ secret"}; delete the file to have a new one made, or set ${secretVariableOf(source)}`,
    );
  }
  return secrets[0];
}

/**
 * Reads the local secret, or makes it. Processes starting together must end up with one secret:
 * each writes a candidate to a file of its own and links it into place, which fails when a file
 * is already there (a rename would replace the winner's), so the file is always whole and
 * written once; everyone then reads what is there.
 */
export function ensureLocalWebhookSecret(dataDir: string, source = LOCAL_SECRET_SOURCE): LocalWebhookSecret {
  const file = localSecretFile(dataDir, source);
  const existing = readLocalWebhookSecret(dataDir, source);
  if (existing) return { source, secret: existing, file, created: false };
  mkdirSync(dataDir, { recursive: true });
  // The format Svix generates: whsec_ and the base64 of 24 random bytes.
  const candidate = `whsec_${randomBytes(24).toString("base64")}`;
  const draft = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  let created = false;
  try {
    writeFileSync(draft, `${candidate}\n`, { mode: 0o600 });
    linkSync(draft, file);
    created = true;
  } catch (error) {
    if (errorCodeOf(error) !== "EEXIST") {
      throw new StartupError(
        "config_invalid",
        `cannot write the local webhook secret ${file} (DATA_DIR): ${messageOf(error)}; set ${secretVariableOf(source)} instead`,
      );
    }
  } finally {
    rmSync(draft, { force: true });
  }
  return { source, secret: readLocalWebhookSecret(dataDir, source) as string, file, created };
}

/** What of the configuration decides on a local secret (src/config/load-config.ts's Config has all of it). */
export interface LocalSecretSettings {
  readonly production: boolean;
  readonly role: string;
  readonly dataDir: string;
  readonly webhookSecrets: Readonly<Record<string, readonly string[]>>;
  readonly localWebhookSecret?: Readonly<{ source: string; variable: string; file: string }>;
}

/**
 * The configuration a development bridge runs with: its local secret for Clerk when
 * CLERK_WEBHOOK_SECRET is unset and this process receives webhooks. Answers the secret it
 * adopted, for the start to say so.
 */
export function adoptLocalWebhookSecret<C extends LocalSecretSettings>(
  config: C,
): { config: C; local?: LocalWebhookSecret } {
  const source = LOCAL_SECRET_SOURCE;
  if (config.production || config.role === "worker" || config.webhookSecrets[source]) return { config };
  const local = ensureLocalWebhookSecret(config.dataDir, source);
  const adopted: C = Object.freeze({
    ...config,
    webhookSecrets: Object.freeze({ ...config.webhookSecrets, [source]: Object.freeze([local.secret]) }),
    localWebhookSecret: Object.freeze({ source, variable: secretVariableOf(source), file: local.file }),
  });
  return { config: adopted, local };
}

/** The start's one line about it: made now, or in use since an earlier start. */
export function describeLocalWebhookSecret(local: LocalWebhookSecret): string {
  const variable = secretVariableOf(local.source);
  const what = local.created
    ? `created a local signing secret in ${local.file}`
    : `using the local signing secret in ${local.file}`;
  return `webhooks: ${variable} is not set: ${what}; /webhooks/${local.source} verifies with it (development only: npx bridge trigger user.created signs with it, Clerk's own deliveries need ${variable})`;
}
