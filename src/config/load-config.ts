import { availableParallelism } from "node:os";
import { StartupError } from "../errors.ts";
import { BUILT_IN_FUNCTIONS } from "./built-in-ids.ts";
import { checkRules } from "./rules.ts";
import { envFields, type EnvFields } from "./schema.ts";
import { parseWebhookSecrets } from "../webhooks/webhook-secrets.ts";

/**
 * Every setting the bridge reads from its environment, checked by schema.ts and rules.ts, compiled once into
 * the options every layer receives: durations in milliseconds, TTLs in seconds, the key tag, the
 * engine's leases. `loadConfig` is called once, by the composition root; everything else gets
 * the frozen result and derives nothing itself.
 */

const envSchema = envFields.superRefine(checkRules);

const SECRET_VARIABLE = /^([A-Z0-9_]+)_WEBHOOK_SECRET$/;

/** What the engine runs with, derived once from the environment. */
export interface EngineOptions {
  /** Runs one process executes at once (WORKER_CONCURRENCY). */
  concurrency: number;
  /** How long a worker holds a job without renewing it; a killed worker's runs resume after it. */
  lockDurationMs: number;
  /** How often lapsed locks are looked for: as often as they can lapse. */
  stalledIntervalMs: number;
  /** A concurrency slot is a lease, renewed by every stored step; a crashed holder frees it then. */
  concurrencyLeaseMs: number;
  /** Base of the exponential backoff between retries. */
  retryBaseMs: number;
  retentionMs: number;
  dedupeWindowMs: number;
}

/** Every variable the bridge reads by name (besides `<SOURCE>_WEBHOOK_SECRET`): the README documents each one. */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(envFields.shape);

function compile(env: EnvFields) {
  const lockDurationMs = env.WORKER_LOCK_DURATION;
  const engine: EngineOptions = Object.freeze({
    concurrency: env.WORKER_CONCURRENCY,
    lockDurationMs,
    stalledIntervalMs: lockDurationMs,
    concurrencyLeaseMs: Math.max(lockDurationMs * 10, 60_000),
    retryBaseMs: 1000,
    retentionMs: env.RETENTION,
    dedupeWindowMs: env.DEDUPE_WINDOW,
  });
  return {
    production: env.NODE_ENV === "production",
    port: env.PORT,
    host: env.HOST,
    role: env.ROLE,
    redisUrl: env.REDIS_URL,
    redisPrefix: env.REDIS_PREFIX,
    redisReportIntervalMs: env.REDIS_REPORT_INTERVAL,
    eventKeys: env.EVENT_KEYS,
    trustedEventKeys: env.TRUSTED_EVENT_KEYS,
    /** Express's `trust proxy`: which peers' X-Forwarded-* headers name the client. */
    trustProxy: env.TRUST_PROXY,
    maxBodyBytes: env.MAX_BODY_BYTES,
    /** The addresses outgoing requests (step.fetch, destinations) may connect to. */
    outboundPolicy: env.FETCH_ALLOW_PRIVATE,
    http: { headersTimeoutMs: env.HTTP_HEADERS_TIMEOUT, requestTimeoutMs: env.HTTP_REQUEST_TIMEOUT },
    dedupeWindowMs: env.DEDUPE_WINDOW,
    retentionMs: env.RETENTION,
    transformTimeoutMs: env.TRANSFORM_TIMEOUT,
    transformsDir: env.TRANSFORMS_DIR,
    logLevel: env.LOG_LEVEL,
    logFormat: env.LOG_FORMAT,
    dataDir: env.DATA_DIR,
    databaseUrl: env.DATABASE_URL,
    smtpUrl: env.SMTP_URL,
    smtpFrom: env.SMTP_FROM,
    onboardingDelayMs: env.ONBOARDING_DELAY,
    eraseOnDelete: env.ERASE_ON_DELETE,
    tombstoneTtlMs: env.TOMBSTONE_TTL,
    /** The built-in functions to run: all by default, none for `none`. */
    functions: env.FUNCTIONS.length > 0 ? env.FUNCTIONS.filter((name) => name !== "none") : [...BUILT_IN_FUNCTIONS],
    functionsDir: env.FUNCTIONS_DIR,
    destinationsDir: env.DESTINATIONS_DIR,
    workerConcurrency: env.WORKER_CONCURRENCY,
    /** How many processes were asked for ("auto": one per available core), before other constraints. */
    workers: env.WORKERS === "auto" ? availableParallelism() : env.WORKERS,
    workersExplicit: env.WORKERS !== "auto",
    workerLockDurationMs: env.WORKER_LOCK_DURATION,
    adminToken: env.ADMIN_TOKEN,
    encryptionKeys: env.ENCRYPTION_KEY.map((key) => Buffer.from(key, "base64")),
    /** Where "Send to another bridge" posts events (POST <url>/e/<eventKey>); absent, the action is hidden. */
    devBridge:
      env.DEV_BRIDGE_URL === undefined
        ? undefined
        : { url: env.DEV_BRIDGE_URL.replace(/\/+$/, ""), eventKey: env.DEV_BRIDGE_EVENT_KEY ?? "dev" },
    engine,
  };
}

export type Config = Readonly<
  ReturnType<typeof compile> & {
    /** Svix secrets per webhook source: `<SOURCE>_WEBHOOK_SECRET` serves /webhooks/<source>. */
    webhookSecrets: Readonly<Record<string, readonly string[]>>;
    /**
     * Every variable as given (empty ones count as unset), for the modules that name their own:
     * a destination reads its URL and token (SLACK_WEBHOOK_URL, ...) from here, so that only
     * config/environment.ts reads process.env and a test hands the variables to loadConfig like any other.
     */
    environment: Readonly<Record<string, string>>;
    /**
     * In development with the source's variable unset: the secret the bridge made itself, in
     * DATA_DIR (src/webhooks/local-webhook-secret.ts), which `webhookSecrets` then holds.
     */
    localWebhookSecret?: Readonly<{ source: string; variable: string; file: string }>;
  }
>;

/** Parses the environment; an invalid value throws a `config_invalid` StartupError naming each bad variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  // Empty strings count as unset, as they do in most .env tooling.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ""));
  const result = envSchema.safeParse(present);
  const problems = result.success
    ? []
    : result.error.issues.map((issue) => `  ${String(issue.path[0] ?? "environment")}: ${issue.message}`);
  const webhookSecrets: Record<string, readonly string[]> = {};
  for (const [variable, value] of Object.entries(present)) {
    const source = SECRET_VARIABLE.exec(variable)?.[1]?.toLowerCase();
    if (!source) continue;
    const { secrets, problems: wrong } = parseWebhookSecrets(value ?? "");
    if (secrets.length > 0) webhookSecrets[source] = Object.freeze(secrets);
    // CLERK_WEBHOOK_SECRET is in the schema, which has reported its problems already.
    if (variable !== "CLERK_WEBHOOK_SECRET") problems.push(...wrong.map((message) => `  ${variable}: ${message}`));
  }
  if (!result.success || problems.length > 0) {
    throw new StartupError("config_invalid", `invalid configuration:\n${problems.join("\n")}`);
  }
  return Object.freeze({
    ...compile(result.data),
    webhookSecrets: Object.freeze(webhookSecrets),
    environment: Object.freeze(present as Record<string, string>),
  });
}
