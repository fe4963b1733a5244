import { StartupError } from "./errors.js";
import { variablesWithPublishedSecrets } from "./webhooks/published-secrets.js";
const MIN_KEY_LENGTH = 16;
function describeConfiguration(config, transforms) {
  return {
    role: config.role,
    port: config.port,
    sources: transforms ? [...transforms.keys()] : void 0,
    functions: config.functions,
    functionsDir: config.functionsDir ?? "functions",
    destinationsDir: config.destinationsDir ?? "destinations",
    eventKeys: config.eventKeys.length > 0 ? `${config.eventKeys.length} key(s), ${config.trustedEventKeys.length} trusted` : "any (development mode)",
    trustProxy: config.trustProxy,
    admin: config.adminToken ? "ADMIN_TOKEN set" : "loopback only",
    // Its origin only: the event key stays out of the log.
    ...config.devBridge ? { devBridge: new URL(config.devBridge.url).origin } : {}
  };
}
function checkStartupWarnings(config, logger, transforms) {
  const published = variablesWithPublishedSecrets(config.webhookSecrets);
  if (published.length > 0) {
    const message = `${published.join(", ")} is a secret published in Svix's documentation: anyone can forge webhooks with it. Use the signing secret Clerk shows for your endpoint (Clerk Dashboard \u2192 Webhooks \u2192 your endpoint \u2192 Signing Secret)`;
    if (config.production) throw new StartupError("config_invalid", `${message}; refused because NODE_ENV=production`);
    logger.warn(`SECURITY: ${message}`);
  }
  for (const source of transforms?.keys() ?? []) {
    if (!config.webhookSecrets[source]) {
      logger.warn({ source }, `${source.toUpperCase()}_WEBHOOK_SECRET is not set: every /webhooks/${source} delivery will be rejected with 401`);
    }
  }
  if (transforms && config.eventKeys.length === 0) {
    logger.warn("EVENT_KEYS is not set: the Event API (POST /e/:key) accepts any key (development mode)");
  }
  const short = config.eventKeys.filter((key) => key.length < MIN_KEY_LENGTH).length;
  if (short > 0) {
    logger.warn(`EVENT_KEYS: ${short} key(s) shorter than ${MIN_KEY_LENGTH} characters can be guessed despite the rate limit; use random keys (openssl rand -hex 32)`);
  }
}
export {
  checkStartupWarnings,
  describeConfiguration
};
