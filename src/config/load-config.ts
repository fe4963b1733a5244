import { availableParallelism } from "node:os";
import ipaddr from "ipaddr.js";
import { z } from "zod";
import { StartupError } from "../errors.ts";
import { BUILT_IN_FUNCTIONS, USER_SYNC_ID } from "./built-in-ids.ts";
import { fetchAllowPrivate } from "../outbound/address-policy.ts";
import { DURATION_HINT, parseDurationMs } from "../util/durations.ts";
import { parseWebhookSecrets } from "../webhooks/webhook-secrets.ts";

/**
 * Every setting the bridge reads from its environment, in one strict schema, compiled once into
 * the options every layer receives: durations in milliseconds, TTLs in seconds, the key tag, the
 * engine's leases. `loadConfig` is called once, by the composition root; everything else gets
 * the frozen result and derives nothing itself.
 */

const duration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value, ctx) => {
      const parsed = parseDurationMs(value);
      if (parsed === undefined) {
        ctx.addIssue({ code: "custom", message: `"${value}" is not ${DURATION_HINT}` });
        return z.NEVER;
      }
      return parsed;
    });

const list = (separator: RegExp) =>
  z
    .string()
    .optional()
    .transform((value) => (value ?? "").split(separator).map((item) => item.trim()).filter(Boolean));

const url = (protocols: string[]) =>
  z.string().refine((value) => {
    try {
      return protocols.includes(new URL(value).protocol);
    } catch {
      return false;
    }
  }, `must be a URL starting with ${protocols.map((p) => `${p}//`).join(" or ")}`);

/** Svix's last retry comes ~27.6 h after the first attempt; a tombstone must outlive it. */
export const MIN_TOMBSTONE_TTL_MS = 28 * 60 * 60 * 1000;

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const SECRET_VARIABLE = /^([A-Z0-9_]+)_WEBHOOK_SECRET$/;
/** Decoded here, as the verifier will decode them, so a truncated paste stops the start naming it. */
const secretList = z
  .string()
  .optional()
  .transform((value, ctx) => {
    const { secrets, problems } = parseWebhookSecrets(value ?? "");
    for (const message of problems) ctx.addIssue({ code: "custom", message });
    return secrets;
  });

/** Express's own names for address ranges, usable in TRUST_PROXY. */
const PROXY_RANGE_NAMES = ["loopback", "linklocal", "uniquelocal"];

const isAddressOrRange = (entry: string) =>
  PROXY_RANGE_NAMES.includes(entry) ||
  ipaddr.IPv4.isValidFourPartDecimal(entry) ||
  ipaddr.IPv4.isValidCIDRFourPartDecimal(entry) ||
  ipaddr.IPv6.isValid(entry) ||
  ipaddr.IPv6.isValidCIDR(entry);

/**
 * Express's `trust proxy`, spelled as in its documentation: a hop count, `true`, or a comma list of
 * addresses, CIDR ranges and the names loopback, linklocal, uniquelocal. Unset is false: the
 * client is the socket's peer, and X-Forwarded-For (which anyone can send) is ignored.
 */
const trustProxy = z
  .string()
  .optional()
  .transform((value, ctx): boolean | number | string[] => {
    const text = value?.trim().toLowerCase() ?? "false";
    if (text === "false") return false;
    if (text === "true") return true;
    if (/^\d+$/.test(text)) return Number(text);
    const entries = text.split(",").map((entry) => entry.trim()).filter(Boolean);
    const wrong = entries.filter((entry) => !isAddressOrRange(entry));
    if (entries.length === 0 || wrong.length > 0) {
      ctx.addIssue({ code: "custom", message: `must be a hop count, true, false, or a comma list of addresses, CIDR ranges, loopback, linklocal or uniquelocal (not ${wrong.join(", ") || "empty"})` });
      return z.NEVER;
    }
    return entries;
  });

export const ROLES = ["all", "receiver", "worker"] as const;
export type Role = (typeof ROLES)[number];
export const LOG_FORMATS = ["json", "pretty"] as const;

const envSchema = z.object({
  NODE_ENV: z.string().optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(8288),
  HOST: z.string().min(1).default("0.0.0.0"),
  ROLE: z.enum(ROLES).default("all"),
  REDIS_URL: url(["redis:", "rediss:"]).optional(),
  /** How often a lasting Redis problem (out of memory) is logged again. */
  REDIS_REPORT_INTERVAL: duration("10s"),
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, "letters, digits, _ and - only (it is wrapped in a {hash tag})")
    .default("cwb"),
  CLERK_WEBHOOK_SECRET: secretList,
  EVENT_KEYS: list(/,/),
  /** Event API keys that may send events named like a webhook source's (`clerk/*`). */
  TRUSTED_EVENT_KEYS: list(/,/),
  TRUST_PROXY: trustProxy,
  MAX_BODY_BYTES: positiveInt(1024 * 1024),
  /** A request whose headers, or whole body, take longer is answered 408 and its socket freed. */
  HTTP_HEADERS_TIMEOUT: duration("20s"),
  HTTP_REQUEST_TIMEOUT: duration("30s"),
  DEDUPE_WINDOW: duration("3 days"),
  RETENTION: duration("7 days"),
  TRANSFORM_TIMEOUT: duration("1s"),
  TRANSFORMS_DIR: z.string().min(1).default("transforms"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Unset: pretty when stdout is a terminal, JSON otherwise. */
  LOG_FORMAT: z.enum(LOG_FORMATS).optional(),
  DATA_DIR: z.string().min(1).default("data"),
  DATABASE_URL: url(["postgres:", "postgresql:"]).optional(),
  SMTP_URL: url(["smtp:", "smtps:"]).optional(),
  SMTP_FROM: z.string().min(3).default("Clerk Webhook Bridge <no-reply@localhost>"),
  ONBOARDING_DELAY: duration("3 days"),
  /** After user-sync handles clerk/user.deleted, erase what the bridge holds about that user. */
  /**
   * How long an erased user's tombstone refuses events naming them: at least Svix's whole retry
   * schedule (~27.6 h), so a late redelivery of their user.created cannot bring them back.
   */
  TOMBSTONE_TTL: duration("30 days").refine((ms) => ms >= MIN_TOMBSTONE_TTL_MS, "must be at least 28 hours: Svix retries a delivery for up to ~27.6 hours"),
  ERASE_ON_DELETE: z.enum(["true", "false"], { error: "must be true or false" }).default("false").transform((value) => value === "true"),
  FUNCTIONS: list(/,/).refine(
    (names) => names.every((name) => name === "none" || (BUILT_IN_FUNCTIONS as readonly string[]).includes(name)),
    `each name must be a built-in function (${BUILT_IN_FUNCTIONS.join(", ")}), or none`,
  ),
  /** Unset: `functions/`, which may be absent; a folder named here must exist. */
  FUNCTIONS_DIR: z.string().min(1).optional(),
  /** Unset: `destinations/`, which may be absent; a folder named here must exist. */
  DESTINATIONS_DIR: z.string().min(1).optional(),
  /** Processes to run: "auto" (default) is the machine's available parallelism; 1 is one process. */
  WORKERS: z
    .union([z.literal("auto"), z.coerce.number().int().min(1).max(64)], { error: 'must be "auto" or a whole number from 1 to 64' })
    .default("auto"),
  WORKER_CONCURRENCY: positiveInt(50),
  WORKER_LOCK_DURATION: duration("30s"),
  ADMIN_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  /** Keys for personal data at rest, comma-separated: the first seals, all open (a rotation). */
  ENCRYPTION_KEY: list(/,/).pipe(
    z.array(z.string().refine((key) => /^[A-Za-z0-9+/]+={0,2}$/.test(key) && Buffer.from(key, "base64").length === 32, "each key must be 32 bytes in base64 (openssl rand -base64 32)")),
  ),
  /** Another bridge (a developer's) that an event page can send events to, and its Event API key. */
  DEV_BRIDGE_URL: url(["http:", "https:"]).optional(),
  DEV_BRIDGE_EVENT_KEY: z.string().min(1).optional(),
  /** Which private, loopback and link-local addresses step.fetch and destinations may reach (none by default). */
  FETCH_ALLOW_PRIVATE: fetchAllowPrivate,
}).superRefine((env, ctx) => {
  // The keys themselves are secrets: the message counts them, it never prints one.
  const outside = env.TRUSTED_EVENT_KEYS.filter((key) => !env.EVENT_KEYS.includes(key));
  if (outside.length > 0) {
    ctx.addIssue({ code: "custom", path: ["TRUSTED_EVENT_KEYS"], message: `every key must also be listed in EVENT_KEYS (${outside.length} is not)` });
  }
  // Node refuses a headers timeout longer than the request's (the headers are part of the request).
  if (env.HTTP_HEADERS_TIMEOUT > env.HTTP_REQUEST_TIMEOUT) {
    ctx.addIssue({ code: "custom", path: ["HTTP_HEADERS_TIMEOUT"], message: "must not be longer than HTTP_REQUEST_TIMEOUT" });
  }
  if (env.HTTP_HEADERS_TIMEOUT < 1000) ctx.addIssue({ code: "custom", path: ["HTTP_HEADERS_TIMEOUT"], message: "must be at least 1s" });
  // Erasing on delete happens in user-sync's run: without user-sync it would never happen.
  const functions = env.FUNCTIONS.length > 0 ? env.FUNCTIONS : BUILT_IN_FUNCTIONS;
  if (env.ERASE_ON_DELETE && !functions.includes(USER_SYNC_ID)) {
    ctx.addIssue({ code: "custom", path: ["ERASE_ON_DELETE"], message: `needs user-sync, which erases after it handles clerk/user.deleted; FUNCTIONS leaves it out` });
  }
});

type Env = z.output<typeof envSchema>;

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
export const CONFIG_VARIABLES: readonly string[] = Object.keys(envSchema.shape);

function compile(env: Env) {
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
    devBridge: env.DEV_BRIDGE_URL === undefined ? undefined : { url: env.DEV_BRIDGE_URL.replace(/\/+$/, ""), eventKey: env.DEV_BRIDGE_EVENT_KEY ?? "dev" },
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
     * main.ts reads process.env and a test hands the variables to loadConfig like any other.
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
  const problems = result.success ? [] : result.error.issues.map((issue) => `  ${String(issue.path[0] ?? "environment")}: ${issue.message}`);
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
