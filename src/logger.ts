import { pino, type Logger } from "pino";

export type { Logger };

/**
 * The one pino root. Signatures, secrets and tokens are redacted wherever they appear in a log
 * object, so a request logged by pino-http never leaks `svix-signature` or a Bearer token.
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
  "*.password",
  "*.secret",
];

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { service: "clerk-webhook-bridge" },
      redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    },
    destination as pino.DestinationStream | undefined,
  );
}
