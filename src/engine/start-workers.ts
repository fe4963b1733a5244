import { Queue, Worker, type ConnectionOptions } from "bullmq";
import type { Redis } from "ioredis";
import { createEventLog } from "../events/event-log.ts";
import type { Logger } from "../logger.ts";
import type { BridgeMetrics } from "../metrics/create-metrics.ts";
import { EVENTS_QUEUE, keyPrefix, RUNS_QUEUE } from "../queue/queue-names.ts";
import type { EngineContext } from "./engine-context.ts";
import { createRunProcessor } from "./execute-run.ts";
import { createRegistry, type Registry } from "./registry.ts";
import { createEventRouter } from "./route-event.ts";
import { syncCronSchedulers } from "./sync-cron-schedulers.ts";
import { createRunStore, type RunStore } from "./run-store.ts";
import type { BridgeFunction } from "./types.ts";
import { createWaiters } from "./waiters.ts";

export interface WorkerDeps {
  /** Commands: run state, waiters, event log (auto-pipelined). */
  redis: Redis;
  /** For BullMQ (workers duplicate it for their blocking reads); needs maxRetriesPerRequest: null. */
  connection: ConnectionOptions;
  logger: Logger;
  functions: readonly BridgeFunction[];
  prefix: string;
  retentionMs: number;
  dedupeWindowMs: number;
  /** Runs executed at once by this process (WORKER_CONCURRENCY). */
  concurrency: number;
  /** Tuning, mostly for tests: faster retries, faster recovery of a killed worker's jobs. */
  retryBaseMs?: number;
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  metrics?: BridgeMetrics;
}

export interface RunningWorkers {
  registry: Registry;
  store: RunStore;
  /** Stops taking jobs, waits for the active ones to finish or suspend, then closes the queues. */
  close(): Promise<void>;
}

/**
 * Starts the router (on "events") and the executor (on "runs"). A run left behind by a stopped
 * or killed worker is picked up by any other: its job goes back to the queue when its lock ends.
 */
export async function startWorkers(deps: WorkerDeps): Promise<RunningWorkers> {
  const registry = createRegistry(deps.functions);
  const prefix = keyPrefix(deps.prefix);
  const eventsQueue = new Queue(EVENTS_QUEUE, { connection: deps.connection, prefix });
  const runsQueue = new Queue(RUNS_QUEUE, { connection: deps.connection, prefix });
  const store = createRunStore({ redis: deps.redis, prefix: deps.prefix, retentionMs: deps.retentionMs, runsQueue });
  const ctx: EngineContext = {
    redis: deps.redis,
    prefix: deps.prefix,
    retentionMs: deps.retentionMs,
    logger: deps.logger,
    registry,
    store,
    waiters: createWaiters({ redis: deps.redis, prefix: deps.prefix }),
    eventLog: createEventLog({ redis: deps.redis, prefix: deps.prefix, retentionMs: deps.retentionMs }),
    accept: { eventsQueue, dedupeWindowMs: deps.dedupeWindowMs, retentionMs: deps.retentionMs },
    runsQueue,
    retryBaseMs: deps.retryBaseMs ?? 1000,
    concurrencyLeaseMs: Math.max((deps.lockDurationMs ?? 30_000) * 10, 60_000),
    metrics: deps.metrics,
  };
  await syncCronSchedulers(eventsQueue, registry.functions);
  const common = {
    connection: deps.connection,
    prefix,
    concurrency: deps.concurrency,
    ...(deps.lockDurationMs === undefined ? {} : { lockDuration: deps.lockDurationMs }),
    ...(deps.stalledIntervalMs === undefined ? {} : { stalledInterval: deps.stalledIntervalMs }),
    // A run may be interrupted by several crashes in a row; each replay is safe.
    maxStalledCount: 10,
  };
  const router = new Worker(EVENTS_QUEUE, createEventRouter(ctx), common);
  const executor = new Worker(RUNS_QUEUE, createRunProcessor(ctx), common);
  for (const [role, worker] of [["router", router], ["executor", executor]] as const) {
    worker.on("failed", (job, error) => deps.logger.error({ err: error, role, jobId: job?.id }, `${role} job failed`));
    worker.on("error", (error) => deps.logger.error({ err: error, role }, `${role} worker error`));
  }
  // A run job that keeps failing on engine errors (not handler errors, which end the run
  // themselves) is given up by BullMQ after its attempts: record that on the run, or it would
  // read "running" forever.
  executor.on("failed", (job, error) => {
    if (!job || job.attemptsMade < (job.opts.attempts ?? 1)) return;
    const fields = { status: "failed", endedAt: Date.now(), error: { name: error.name, message: `engine error: ${error.message}` } };
    store.updateRun((job.data as { runId: string }).runId, fields).catch((cause) => deps.logger.error({ err: cause }, "could not mark a run failed"));
  });
  await Promise.all([router.waitUntilReady(), executor.waitUntilReady()]);
  deps.logger.info({ functions: registry.functions.map((fn) => fn.id), concurrency: deps.concurrency }, "workers started");

  return {
    registry,
    store,
    async close() {
      await Promise.all([router.close(), executor.close()]);
      await Promise.all([eventsQueue.close(), runsQueue.close()]);
    },
  };
}
