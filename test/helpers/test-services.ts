import { Writable } from "node:stream";
import { loadConfig, type Config } from "../../src/config/load-config.ts";
import { createLogger, type Logger } from "../../src/logger.ts";
import { createServices, type Services } from "../../src/app/create-services.ts";
import { adoptLocalWebhookSecret } from "../../src/webhooks/local-webhook-secret.ts";
import { TEST_SECRET } from "./sign-fixture.ts";
import { dropPrefix, testPrefix, TEST_REDIS_URL } from "./test-redis.ts";

export interface TestServices {
  services: Services;
  config: Config;
  prefix: string;
  logger: Logger;
  /** Parsed pino lines, when the test asked to capture them. */
  logs: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

/**
 * The composition root's own services (src/app/create-services.ts) on the real Redis, under
 * a key prefix of their own, for a test. `close` stops them and deletes every key they wrote.
 */
export async function startTestServices(
  env: Record<string, string> = {},
  options: { captureLogs?: boolean; localWebhookSecret?: boolean } = {},
): Promise<TestServices> {
  const prefix = env.REDIS_PREFIX ?? testPrefix();
  const loaded = loadConfig({
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: prefix,
    CLERK_WEBHOOK_SECRET: TEST_SECRET,
    FUNCTIONS: "none",
    LOG_LEVEL: options.captureLogs ? "debug" : (process.env.TEST_LOG_LEVEL ?? "silent"),
    ...env,
  });
  // As main.ts does in development: CLERK_WEBHOOK_SECRET unset means the local one in DATA_DIR.
  const config = options.localWebhookSecret ? adoptLocalWebhookSecret(loaded).config : loaded;
  const { logger, lines: logs } = captureLogs(config.logLevel, options.captureLogs ?? false);
  const services = await createServices(config, logger);
  return {
    services,
    config,
    prefix,
    logger,
    logs,
    async close() {
      await services.close();
      await dropPrefix(prefix);
    },
  };
}

/** A JSON logger at `level` whose lines are parsed into `lines` (unless `capture` is false), for a test to assert what was logged. */
export function captureLogs<Line = Record<string, unknown>>(
  level: string,
  capture = true,
): { logger: Logger; lines: Line[] } {
  const lines: Line[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      if (capture) for (const line of String(chunk).split("\n")) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: createLogger(level, sink, "json"), lines };
}
