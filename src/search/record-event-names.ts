import type { QueueEvents } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "../logger.ts";
import type { RedisHealth } from "../redis/redis-health.ts";
import { isEventJobId } from "../queue/event-jobs.ts";

/** Names are few and events many: the names seen are written at most this often. */
const FLUSH_MS = 1000;
/** The most names kept (the newest seen): a sender minting names cannot grow the set past it. */
export const MAX_EVENT_NAMES = 10_000;

/**
 * Keeps the set of event names (`keys.eventNames`, scored by when each was last seen) that name
 * search expands a prefix or a wildcard against. Read from the events queue's event stream
 * (`added` carries the name), so the intake writes nothing more; names are gathered in memory
 * and written once a second in one ZADD, with names unseen for RETENTION dropped (and the
 * oldest past MAX_EVENT_NAMES).
 * Answers a function that writes what is pending and stops.
 */
export function recordEventNames(
  reader: QueueEvents,
  deps: { redis: Redis; key: string; retentionMs: number; logger: Logger; redisHealth?: Pick<RedisHealth, "absorb"> },
): () => Promise<void> {
  let pending = new Map<string, number>();
  const flush = async () => {
    if (pending.size === 0) return;
    const batch = pending;
    pending = new Map();
    const members = [...batch].flatMap(([name, at]) => [at, name]);
    await deps.redis
      .pipeline()
      .zadd(deps.key, ...members)
      .zremrangebyscore(deps.key, "-inf", Date.now() - deps.retentionMs)
      .zremrangebyrank(deps.key, 0, -(MAX_EVENT_NAMES + 1))
      .exec();
  };
  reader.on("added", ({ jobId, name }, id) => {
    if (isEventJobId(jobId)) pending.set(name, Number(id.split("-")[0]));
  });
  const onError = (error: unknown) =>
    deps.redisHealth?.absorb(error) || deps.logger.warn({ err: error }, "event names could not be recorded");
  const timer = setInterval(() => void flush().catch(onError), FLUSH_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await flush().catch(() => {});
  };
}
