import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { Config } from "../config/load-config.ts";
import { createFunctionPauses } from "../engine/store/function-pauses.ts";
import { createRunCommands } from "../engine/store/run-commands.ts";
import { createRunLedger } from "../engine/store/run-ledger.ts";
import { createRunQueries } from "../engine/store/run-queries.ts";
import { createWaiters } from "../engine/store/waiters.ts";
import type { AcceptDeps } from "../events/accept-events.ts";
import { createEventLog } from "../events/event-log.ts";
import { createTombstones } from "../events/tombstones.ts";
import type { BridgeMetrics } from "../metrics/create-metrics.ts";
import { EVENTS_QUEUE, RUNS_QUEUE } from "../queue/queue-names.ts";
import type { Sealer } from "../crypto/sealer.ts";
import type { BridgeKeys } from "../redis/keys.ts";
import type { Closers } from "./closers.ts";

/**
 * The queues and stores bound to one command client. The composition root makes two sets: one
 * on the request path's client (fails fast, so a webhook is answered 503 at once), one on the
 * engine's (patient, so a step that succeeded is not failed by a slow answer).
 */
export function createStores(
  redis: Redis,
  deps: { config: Config; keys: BridgeKeys; metrics: BridgeMetrics; closers: Closers; sealer: Sealer; name: string },
) {
  const { config, keys, sealer } = deps;
  const queues = {
    events: new Queue(EVENTS_QUEUE, { connection: redis, prefix: keys.tag }),
    runs: new Queue(RUNS_QUEUE, { connection: redis, prefix: keys.tag }),
  };
  deps.closers.push(`${deps.name} queues`, () => Promise.all([queues.events.close(), queues.runs.close()]));
  // `redis` is the events queue's own connection: the tombstone check must share it, to run first.
  const accept: AcceptDeps = {
    eventsQueue: queues.events,
    dedupeWindowMs: config.dedupeWindowMs,
    metrics: deps.metrics,
    sealer,
    erasure: { redis, tombstoneKey: keys.tombstone },
  };
  const ledger = createRunLedger({ redis, keys, retentionMs: config.retentionMs, sealer });
  const queries = createRunQueries({ redis, keys, sealer });
  const commands = createRunCommands({
    redis,
    keys,
    retentionMs: config.retentionMs,
    runsQueue: queues.runs,
    ledger,
    queries,
  });
  return {
    redis,
    queues,
    accept,
    eventLog: createEventLog({ redis, keys, retentionMs: config.retentionMs, sealer }),
    runs: { ledger, queries, commands },
    waiters: createWaiters({ redis, keys, sealer }),
    pauses: createFunctionPauses({ redis, keys, runsQueue: queues.runs }),
    /** Erased users' tombstones: `tombstones.isErased(userId)` is the one question to ask. */
    tombstones: createTombstones({ redis, keys, ttlMs: config.tombstoneTtlMs }),
  };
}

export type Stores = ReturnType<typeof createStores>;
