import { pino, type Logger } from "pino";

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
  "config.adminToken",
  "config.databaseUrl",
  "config.smtpUrl",
  "config.redisUrl",
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: "clerk-webhook-bridge" },
      redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    },
    destination,
  );
}
