import { pino } from "pino";
import pretty from "pino-pretty";
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
/**
 * JSON lines for machines; pino-pretty (synchronous, no worker thread) for a person at a
 * terminal. Unset, the format follows stdout: pretty on a TTY, JSON when piped or collected.
 */
export function createLogger(level, destination, format, bindings = {}) {
    const options = { level, base: { service: "clerk-webhook-bridge", ...bindings }, redact: { paths: REDACTED_PATHS, censor: "[redacted]" } };
    const usePretty = format === "pretty" || (format === undefined && destination === undefined && process.stdout.isTTY === true);
    if (usePretty) {
        return pino(options, pretty({ destination: destination ?? 1, colorize: destination === undefined && process.stdout.isTTY === true, translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname,service" }));
    }
    return pino(options, destination);
}
