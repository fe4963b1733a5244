import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { OutboxEntry } from "../functions/mail/dev-outbox.ts";
import type { Logger } from "../logger.ts";
import type { RedisHealth } from "../redis/redis-health.ts";
import { indexMember, type BridgeKeys } from "../redis/keys.ts";

/** BullMQ's clean() removes at most this many jobs per call; the sweep calls again while it is full. */
const CLEAN_BATCH = 1000;
/** Outbox entries read from the old end per round. */
const OUTBOX_BATCH = 100;

export interface RetentionDeps {
  redis: Redis;
  keys: BridgeKeys;
  queues: { events: Queue; runs: Queue };
  retentionMs: number;
  /** Capped streams written with `*` ids (milliseconds first), trimmed by age: the delivery log. */
  streams?: readonly string[];
}

export interface SweepReport {
  /** Event jobs (the stored events) removed by BullMQ's clean. */
  events: number;
  /** Failed run jobs kept for inspection, removed. */
  runJobs: number;
  /** Time-index entries (event log, run indexes) removed. */
  indexEntries: number;
  outboxEmails: number;
}

/**
 * RETENTION for what does not expire on its own. Run hashes, waiter and per-user indexes, flow
 * control state and sessions carry an EXPIRE from the moment they are written; what is kept in a
 * shared structure cannot: BullMQ keeps completed event jobs until a later job completes (none
 * may come), the time indexes are trimmed every 1,000 routed events (a quiet bridge may never
 * reach it), the outbox is a capped list. The sweep removes from those whatever is older than
 * RETENTION; so are event names unseen for as long. Every step is idempotent, so several processes may sweep at once.
 */
export async function sweepRetention(deps: RetentionDeps, now = Date.now()): Promise<SweepReport> {
  const cutoff = now - deps.retentionMs;
  const [events, runJobs, indexEntries, outboxEmails] = await Promise.all([
    cleanQueue(deps.queues.events, deps.retentionMs, ["completed", "failed"]),
    cleanQueue(deps.queues.runs, deps.retentionMs, ["failed"]),
    trimTimeIndexes(deps, cutoff),
    trimOutbox(deps.redis, deps.keys.outbox, cutoff),
  ]);
  if (deps.streams?.length) {
    const pipeline = deps.redis.pipeline();
    for (const stream of deps.streams) pipeline.xtrim(stream, "MINID", `${cutoff}-0`);
    await pipeline.exec();
  }
  return { events, runJobs, indexEntries, outboxEmails };
}

async function cleanQueue(
  queue: Queue,
  graceMs: number,
  states: ReadonlyArray<"completed" | "failed">,
): Promise<number> {
  let removed = 0;
  for (const state of states) {
    for (;;) {
      const ids = await queue.clean(graceMs, CLEAN_BATCH, state);
      removed += ids.length;
      if (ids.length < CLEAN_BATCH) break;
    }
  }
  return removed;
}

/** The event log and the run indexes, the per-name and per-function ones found with SCAN. */
async function trimTimeIndexes({ redis, keys }: RetentionDeps, cutoff: number): Promise<number> {
  const indexes = [
    keys.eventLog,
    ...(await scanKeys(redis, `${keys.eventLog}:name:*`)),
    ...(await scanKeys(redis, keys.runIndexPattern)),
  ];
  const oldest = `(${indexMember(cutoff, "")}`;
  const pipeline = redis.pipeline();
  for (const index of indexes) pipeline.zremrangebylex(index, "-", oldest);
  // The event names search expands patterns against, scored by when each was last seen.
  pipeline.zremrangebyscore(keys.eventNames, "-inf", `(${cutoff}`);
  const results = (await pipeline.exec()) ?? [];
  return results.reduce((sum, [error, count]) => sum + (error ? 0 : Number(count)), 0);
}

async function scanKeys(redis: Redis, pattern: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = "0";
  do {
    const [next, batch] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 1000);
    cursor = next;
    found.push(...batch);
  } while (cursor !== "0");
  return found;
}

/**
 * The outbox is newest first: old entries sit at the tail. LTRIM with an index from the end is
 * unaffected by emails pushed at the head meanwhile.
 */
async function trimOutbox(redis: Redis, key: string, cutoff: number): Promise<number> {
  let removed = 0;
  for (;;) {
    const tail = await redis.lrange(key, -OUTBOX_BATCH, -1);
    let old = 0;
    for (let i = tail.length - 1; i >= 0 && isOlder(tail[i] as string, cutoff); i--) old++;
    if (old === 0) return removed;
    await redis.ltrim(key, 0, -old - 1);
    removed += old;
    if (old < tail.length) return removed;
  }
}

function isOlder(entry: string, cutoff: number): boolean {
  try {
    return Number((JSON.parse(entry) as Partial<OutboxEntry>).sentAt ?? 0) < cutoff;
  } catch {
    return true; // unreadable: nothing can show it, nothing should keep it
  }
}

/**
 * Sweeps now and then every `intervalMs` (a tenth of RETENTION, between a second and ten minutes)
 * until stopped; stopping waits for a sweep under way. A failed sweep is logged and tried again
 * at the next tick.
 */
export function startRetentionSweep(
  deps: RetentionDeps & { logger: Logger; intervalMs?: number; redisHealth?: Pick<RedisHealth, "absorb"> },
): () => Promise<void> {
  const intervalMs = deps.intervalMs ?? Math.min(Math.max(deps.retentionMs / 10, 1000), 10 * 60_000);
  let running: Promise<void> | undefined;
  const tick = () => {
    if (running) return;
    running = sweepRetention(deps)
      .then((report) => {
        if (report.events + report.runJobs + report.indexEntries + report.outboxEmails > 0)
          deps.logger.debug(report, "retention: swept");
      })
      .catch((error: unknown) => {
        if (!deps.redisHealth?.absorb(error))
          deps.logger.warn({ err: error }, "retention: the sweep failed; it runs again at the next tick");
      })
      .finally(() => (running = undefined));
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
