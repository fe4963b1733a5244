import { pino } from "pino";
import pretty from "pino-pretty";
const REDACTED_PATHS = [
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
  "config.devBridge"
];
function createLogger(level, destination, format, bindings = {}) {
  const options = { level, base: { service: "clerk-webhook-bridge", ...bindings }, redact: { paths: REDACTED_PATHS, censor: "[redacted]" } };
  const usePretty = format === "pretty" || format === void 0 && destination === void 0 && process.stdout.isTTY === true;
  if (usePretty) {
    return pino(options, pretty({ destination: destination ?? 1, colorize: destination === void 0 && process.stdout.isTTY === true, translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname,service" }));
  }
  return pino(options, destination);
}
export {
  REDACTED_PATHS,
  createLogger
};
