import { loadConfig } from "../config/load-config.ts";
import { isBridgeError } from "../errors.ts";
import { acceptEvents, type EventDraft } from "../events/accept-events.ts";
import { createLogger } from "../logger.ts";
import { DEFAULT_REDIS_URL } from "../redis/create-redis.ts";
import { createServices } from "../app/create-services.ts";
import type { Intake } from "./intake.ts";
import { withRetries, type FailureKind, type RetryPolicy } from "./with-retries.ts";

/** The source the dashboard shows for backfilled events sent straight to Redis. */
export const BACKFILL_SOURCE = "backfill";

/**
 * Straight into the bridge's Redis (`--direct`), through the bridge's own intake: the services
 * are built by createServices from the same variables the bridge reads (REDIS_URL, REDIS_PREFIX,
 * DEDUPE_WINDOW, RETENTION), and each batch goes through acceptEvents, so deduplication and the
 * event store are exactly those of a webhook. Workers anywhere on that Redis pick the events up.
 */
export async function createRedisIntake(
  env: Record<string, string | undefined>,
  options: { retry: RetryPolicy; log: { write(text: string): unknown } },
): Promise<Intake> {
  // A receiver's services: no engine client. REDIS_URL falls back to the bridge's default
  // explicitly, so that nothing answering there is an error, never a private redis-server started
  // by a command-line tool.
  const config = loadConfig({ ...env, ROLE: "receiver", REDIS_URL: env.REDIS_URL || DEFAULT_REDIS_URL });
  // Warnings only unless LOG_LEVEL says otherwise: "Redis: connected" would only crowd the progress.
  const logger = createLogger(env.LOG_LEVEL ? config.logLevel : "warn", options.log);
  const services = await createServices(config, logger);
  return {
    target: `Redis (prefix ${config.redisPrefix})`,
    async check() {},
    async send(events: EventDraft[]) {
      // One addBulk (a MULTI of BullMQ add scripts) per 100 events, as the Event API would.
      for (let index = 0; index < events.length; index += 100) {
        const batch = events.slice(index, index + 100);
        await withRetries(() => acceptEvents(services.accept, batch, BACKFILL_SOURCE), classifyRedisError, options.retry);
      }
    },
    close: () => services.close(),
  };
}

function classifyRedisError(error: unknown): FailureKind {
  if (isBridgeError(error) && error.code === "redis_unavailable") return { kind: "backoff", reason: "Redis is unavailable" };
  return { kind: "fail", error: error as Error };
}
