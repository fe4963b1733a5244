import { pino, type Logger } from "pino";
import pretty from "pino-pretty";
import { redactEmails } from "./util/redact-emails.ts";

export type { Logger };

/**
 * The one pino root. Request logs carry no headers at all (see create-app.ts); these paths are the
 * safety net should a header or the config object ever be logged. Explicit paths only: wildcard
 * paths make pino's redaction walk every log object, on every request.
 */
export const REDACTED_PATHS = [
  'req.headers["svix-signature"]',
  'req.headers["webhook-signature"]',
  "req.headers.authorization",
  "req.headers.cookie",
  "config.webhookSecrets",
  "config.eventKeys",
  "config.trustedEventKeys",
  "config.adminToken",
  "config.encryptionKeys",
  "config.databaseUrl",
  "config.smtpUrl",
  "config.redisUrl",
  "config.devBridge",
];

export type LogFormat = "json" | "pretty";

/**
 * Errors are logged without the addresses they quote: a mail server's 550 names the mailbox it
 * refused, and nodemailer copies the answer into `response` and the address into `rejected`.
 * Every string of the serialized error (message, stack, causes, such properties) is redacted.
 */
export function serializeErr(value: unknown): unknown {
  if (typeof value === "string") return redactEmails(value);
  if (!(value instanceof Error)) return value;
  return scrubStrings(pino.stdSerializers.err(value), 0);
}

function scrubStrings(value: unknown, depth: number): unknown {
  if (typeof value === "string") return redactEmails(value);
  if (depth > 8 || typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) return value.map((item) => scrubStrings(item, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, scrubStrings(item, depth + 1)]));
}

/**
 * JSON lines for machines; pino-pretty (synchronous, no worker thread) for a person at a
 * terminal. Unset, the format follows stdout: pretty on a TTY, JSON when piped or collected.
 */
export function createLogger(
  level: string,
  destination?: pino.DestinationStream,
  format?: LogFormat,
  bindings: Record<string, unknown> = {},
): Logger {
  const options = {
    level,
    base: { service: "clerk-webhook-bridge", ...bindings },
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    serializers: { err: serializeErr },
  };
  const usePretty =
    format === "pretty" || (format === undefined && destination === undefined && process.stdout.isTTY === true);
  if (usePretty) {
    return pino(
      options,
      pretty({
        destination: destination ?? 1,
        colorize: destination === undefined && process.stdout.isTTY === true,
        translateTime: "SYS:HH:MM:ss.l",
        ignore: "pid,hostname,service",
      }),
    );
  }
  return pino(options, destination);
}
