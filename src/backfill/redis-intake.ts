import { isBridgeError } from "../errors.ts";
import { acceptEvents, type AcceptDeps, type EventDraft } from "../events/accept-events.ts";
import type { Intake } from "./intake.ts";
import { withRetries, type FailureKind, type RetryPolicy } from "./with-retries.ts";

/** The source the dashboard shows for backfilled events sent straight to Redis. */
export const BACKFILL_SOURCE = "backfill";

/** The bridge's own intake on its Redis, as the composition root builds it for a receiver. */
export interface RedisIntakeDeps {
  accept: AcceptDeps;
  /** REDIS_PREFIX, to name the target. */
  redisPrefix: string;
  /** Closes the services the intake stands on. */
  close(): Promise<void>;
}

/**
 * Straight into the bridge's Redis (`--direct`), through the bridge's own intake: the services
 * are built by the composition root from the same variables the bridge reads (REDIS_URL,
 * REDIS_PREFIX, DEDUPE_WINDOW, RETENTION), and each batch goes through acceptEvents, so
 * deduplication and the event store are exactly those of a webhook. Workers anywhere on that
 * Redis pick the events up.
 */
export function createRedisIntake(deps: RedisIntakeDeps, options: { retry: RetryPolicy }): Intake {
  return {
    target: `Redis (prefix ${deps.redisPrefix})`,
    async check() {},
    async send(events: EventDraft[]) {
      // One addBulk (a MULTI of BullMQ add scripts) per 100 events, as the Event API would.
      for (let index = 0; index < events.length; index += 100) {
        const batch = events.slice(index, index + 100);
        await withRetries(() => acceptEvents(deps.accept, batch, BACKFILL_SOURCE), classifyRedisError, options.retry);
      }
    },
    close: () => deps.close(),
  };
}

function classifyRedisError(error: unknown): FailureKind {
  if (isBridgeError(error) && error.code === "redis_unavailable")
    return { kind: "backoff", reason: "Redis is unavailable" };
  return { kind: "fail", error: error as Error };
}
