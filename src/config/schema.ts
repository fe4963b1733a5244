import ipaddr from "ipaddr.js";
import { z } from "zod";
import { BUILT_IN_FUNCTIONS } from "./built-in-ids.ts";
import { fetchAllowPrivate } from "../outbound/address-policy.ts";
import { DURATION_HINT, parseDurationMs } from "../util/durations.ts";
import { parseWebhookSecrets } from "../webhooks/webhook-secrets.ts";

/**
 * Every setting the bridge reads from its environment, each variable with its own check and
 * conversion (durations to milliseconds, lists to arrays, secrets decoded). The rules between
 * variables are in rules.ts; load-config.ts compiles the result into the options every layer gets.
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
    .transform((value) =>
      (value ?? "")
        .split(separator)
        .map((item) => item.trim())
        .filter(Boolean),
    );

const url = (protocols: string[]) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    `must be a URL starting with ${protocols.map((p) => `${p}//`).join(" or ")}`,
  );

/** Svix's last retry comes ~27.6 h after the first attempt; a tombstone must outlive it. */
export const MIN_TOMBSTONE_TTL_MS = 28 * 60 * 60 * 1000;

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

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
    const entries = text
      .split(",")
      .map((entry) => entry.trim())
      .filter(Boolean);
    const wrong = entries.filter((entry) => !isAddressOrRange(entry));
    if (entries.length === 0 || wrong.length > 0) {
      ctx.addIssue({
        code: "custom",
        message: `must be a hop count, true, false, or a comma list of addresses, CIDR ranges, loopback, linklocal or uniquelocal (not ${wrong.join(", ") || "empty"})`,
      });
      return z.NEVER;
    }
    return entries;
  });

export const ROLES = ["all", "receiver", "worker"] as const;
export type Role = (typeof ROLES)[number];
export const LOG_FORMATS = ["json", "pretty"] as const;

/** Each variable on its own; the rules across variables are in rules.ts. */
export const envFields = z.object({
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
  TOMBSTONE_TTL: duration("30 days").refine(
    (ms) => ms >= MIN_TOMBSTONE_TTL_MS,
    "must be at least 28 hours: Svix retries a delivery for up to ~27.6 hours",
  ),
  ERASE_ON_DELETE: z
    .enum(["true", "false"], { error: "must be true or false" })
    .default("false")
    .transform((value) => value === "true"),
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
    .union([z.literal("auto"), z.coerce.number().int().min(1).max(64)], {
      error: 'must be "auto" or a whole number from 1 to 64',
    })
    .default("auto"),
  WORKER_CONCURRENCY: positiveInt(50),
  WORKER_LOCK_DURATION: duration("30s"),
  ADMIN_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  /** Keys for personal data at rest, comma-separated: the first seals, all open (a rotation). */
  ENCRYPTION_KEY: list(/,/).pipe(
    z.array(
      z
        .string()
        .refine(
          (key) => /^[A-Za-z0-9+/]+={0,2}$/.test(key) && Buffer.from(key, "base64").length === 32,
          "each key must be 32 bytes in base64 (openssl rand -base64 32)",
        ),
    ),
  ),
  /** Another bridge (a developer's) that an event page can send events to, and its Event API key. */
  DEV_BRIDGE_URL: url(["http:", "https:"]).optional(),
  DEV_BRIDGE_EVENT_KEY: z.string().min(1).optional(),
  /** Which private, loopback and link-local addresses step.fetch and destinations may reach (none by default). */
  FETCH_ALLOW_PRIVATE: fetchAllowPrivate,
});

export type EnvFields = z.output<typeof envFields>;
