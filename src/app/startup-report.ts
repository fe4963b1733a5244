import type { Config } from "../config/load-config.ts";
import { StartupError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import type { TransformRegistry } from "../transforms/load-transforms.ts";
import { LOCAL_SECRET_SOURCE } from "../webhooks/local-webhook-secret.ts";
import { variablesWithPublishedSecrets } from "../webhooks/published-secrets.ts";
import { secretVariableOf } from "../webhooks/webhook-secrets.ts";

/** Shorter Event API keys are warned about: the rate limit slows guessing, it cannot stop it. */
const MIN_KEY_LENGTH = 16;

/** The configuration line of the start log: what runs, never a secret. */
export function describeConfiguration(config: Config, transforms: TransformRegistry | undefined) {
  return {
    role: config.role,
    port: config.port,
    sources: transforms ? [...transforms.keys()] : undefined,
    functions: config.functions,
    functionsDir: config.functionsDir ?? "functions",
    destinationsDir: config.destinationsDir ?? "destinations",
    eventKeys:
      config.eventKeys.length > 0
        ? `${config.eventKeys.length} key(s), ${config.trustedEventKeys.length} trusted`
        : "any (development mode)",
    trustProxy: config.trustProxy,
    admin: config.adminToken ? "ADMIN_TOKEN set" : "loopback only",
    // Its origin only: the event key stays out of the log.
    ...(config.devBridge ? { devBridge: new URL(config.devBridge.url).origin } : {}),
  };
}

/**
 * What an operator must hear before the bridge receives anything: a source whose secret is
 * missing (every delivery would be refused), a secret anyone can forge webhooks with (refused
 * outright under NODE_ENV=production), the Event API open to any key.
 */
export function checkStartupWarnings(config: Config, logger: Logger, transforms: TransformRegistry | undefined): void {
  const published = variablesWithPublishedSecrets(config.webhookSecrets);
  if (published.length > 0) {
    const message = `${published.join(", ")} is a secret published in Svix's documentation: anyone can forge webhooks with it. Use the signing secret Clerk shows for your endpoint (Clerk Dashboard → Webhooks → your endpoint → Signing Secret)`;
    if (config.production) throw new StartupError("config_invalid", `${message}; refused because NODE_ENV=production`);
    logger.warn(`SECURITY: ${message}`);
  }
  for (const source of transforms?.keys() ?? []) {
    if (!config.webhookSecrets[source]) {
      const refusal =
        config.production && source === LOCAL_SECRET_SOURCE
          ? " (under NODE_ENV=production the bridge makes no local secret)"
          : "";
      logger.warn(
        { source },
        `${secretVariableOf(source)} is not set: every /webhooks/${source} delivery will be rejected with 401${refusal}`,
      );
    }
  }
  if (transforms && config.eventKeys.length === 0) {
    logger.warn("EVENT_KEYS is not set: the Event API (POST /e/:key) accepts any key (development mode)");
  }
  const short = config.eventKeys.filter((key) => key.length < MIN_KEY_LENGTH).length;
  if (short > 0) {
    logger.warn(
      `EVENT_KEYS: ${short} key(s) shorter than ${MIN_KEY_LENGTH} characters can be guessed despite the rate limit; use random keys (openssl rand -hex 32)`,
    );
  }
}
