import type { Processor, Queue, Worker, WorkerOptions } from "bullmq";
import type { Redis } from "ioredis";
import type { EngineOptions } from "../config/load-config.ts";
import { IDENTITY_SEALER, type Sealer } from "../crypto/sealer.ts";
import type { AcceptDeps } from "../events/accept-events.ts";
import type { EventLog } from "../events/event-log.ts";
import type { Tombstones } from "../events/tombstones.ts";
import type { Logger } from "../logger.ts";
import type { BridgeMetrics } from "../metrics/create-metrics.ts";
import { EVENTS_QUEUE, RUNS_QUEUE } from "../queue/queue-names.ts";
import { redactEmails } from "../util/redact-emails.ts";
import { isFlowTimer } from "../queue/run-jobs.ts";
import type { BridgeKeys } from "../redis/keys.ts";
import type { RedisHealth } from "../redis/redis-health.ts";
import type { EngineContext } from "./store/engine-context.ts";
import type { FunctionPauses } from "./store/function-pauses.ts";
import { createRunProcessor } from "./execution/execute-run.ts";
import { executeStartedRun } from "./execution/execute-started-run.ts";
import { needsStartGate } from "./execution/run-lifecycle.ts";
import type { OutboundFetch } from "../outbound/outbound-fetch.ts";
import type { Registry } from "./definition/registry.ts";
import { createEventRouter } from "./routing/route-event.ts";
import type { RunCommands } from "./store/run-commands.ts";
import type { NewRun, RunLedger } from "./store/run-ledger.ts";
import { syncCronSchedulers } from "./routing/sync-cron-schedulers.ts";
import type { Waiters } from "./store/waiters.ts";

/** What the workers use, all built by the composition root (src/app/create-services.ts). */
export interface WorkerDeps {
  options: EngineOptions;
  logger: Logger;
  redis: Redis;
  /** Makes the router's and the executor's BullMQ Worker, on a connection of their own: the composition root's. */
  createWorker: WorkerFactory;
  keys: BridgeKeys;
  queues: { events: Queue; runs: Queue };
  runs: { ledger: RunLedger; commands: RunCommands };
  waiters: Waiters;
  eventLog: EventLog;
  accept: AcceptDeps;
  metrics?: BridgeMetrics;
  /** Opens what the intake sealed (ENCRYPTION_KEY). */
  sealer?: Sealer;
  /** Functions an operator paused: their runs are held queued. */
  pauses?: FunctionPauses;
  /** Erased users: an event naming one starts no run. */
  tombstones?: Pick<Tombstones, "anyErased">;
  /** step.fetch's fetch, through the address policy. */
  outbound: OutboundFetch;
  /** Where Redis outages are reported, to be logged once rather than by every worker loop. */
  redisHealth?: RedisHealth;
}

/** Makes a BullMQ Worker with its connection: src/app/ creates clients, the engine says what they run. */
export type WorkerFactory = (queue: string, processor: Processor, options: Omit<WorkerOptions, "connection">) => Worker;

export interface RunningWorkers {
  /** Stops taking jobs, waits for the active ones to finish or suspend. */
  close(): Promise<void>;
}

/**
 * Starts the router (on "events") and the executor (on "runs"). A run left behind by a stopped
 * or killed worker is picked up by any other: its job goes back to the queue when its lock ends.
 */
export async function startWorkers(deps: WorkerDeps, registry: Registry): Promise<RunningWorkers> {
  const ctx: EngineContext = {
    options: deps.options,
    logger: deps.logger,
    redis: deps.redis,
    keys: deps.keys,
    registry,
    ledger: deps.runs.ledger,
    commands: deps.runs.commands,
    waiters: deps.waiters,
    eventLog: deps.eventLog,
    accept: deps.accept,
    runsQueue: deps.queues.runs,
    metrics: deps.metrics,
    sealer: deps.sealer ?? IDENTITY_SEALER,
    pauses: deps.pauses,
    tombstones: deps.tombstones,
    outbound: deps.outbound,
    redisHealth: deps.redisHealth,
  };
  await syncCronSchedulers(deps.queues.events, registry.functions);
  // The list of all runs merges the functions' run indexes, found through this hash: the router
  // adds each run's function; seeded here too, for runs an earlier version stored.
  if (registry.functions.length > 0)
    await deps.redis.hset(deps.keys.runFunctions, Object.fromEntries(registry.functions.map((fn) => [fn.id, ""])));
  const common = {
    prefix: deps.keys.tag,
    concurrency: deps.options.concurrency,
    // A killed worker's runs go back to the queue once its lock lapses; checked as often.
    lockDuration: deps.options.lockDurationMs,
    stalledInterval: deps.options.stalledIntervalMs,
    // A run may be interrupted by several crashes in a row; each replay is safe.
    maxStalledCount: 10,
  };
  // An event job (the event's one stored body) is kept for RETENTION once routed.
  const keep = { age: Math.ceil(deps.options.retentionMs / 1000) };
  const startingExecutor = { needsStartGate, executeStartedRun: (run: NewRun) => executeStartedRun(ctx, run) };
  const router = deps.createWorker(EVENTS_QUEUE, redactingFailures(createEventRouter(ctx, startingExecutor)), {
    ...common,
    removeOnComplete: keep,
    removeOnFail: keep,
  });
  const executor = deps.createWorker(RUNS_QUEUE, redactingFailures(createRunProcessor(ctx)), common);
  for (const [role, worker] of [
    ["router", router],
    ["executor", executor],
  ] as const) {
    // A worker's loop fails on every reconnection while Redis is away: the weather, logged once.
    worker.on(
      "failed",
      (job, error) =>
        deps.redisHealth?.absorb(error) ||
        deps.logger.error({ err: error, role, jobId: job?.id }, `${role} job failed`),
    );
    worker.on(
      "error",
      (error) => deps.redisHealth?.absorb(error) || deps.logger.error({ err: error, role }, `${role} worker error`),
    );
  }
  // A run job that keeps failing on engine errors (not handler errors, which end the run
  // themselves) is given up by BullMQ after its attempts: record that on the run, or it would
  // read "running" forever.
  executor.on("failed", (job, error) => {
    if (!job || job.attemptsMade < (job.opts.attempts ?? 1) || isFlowTimer(job.data)) return;
    const fields = {
      status: "failed",
      endedAt: Date.now(),
      error: { name: error.name, message: `engine error: ${error.message}` },
    };
    ctx.ledger
      .updateRun((job.data as { runId: string }).runId, fields)
      .catch((cause) => deps.logger.error({ err: cause }, "could not mark a run failed"));
  });
  await Promise.all([router.waitUntilReady(), executor.waitUntilReady()]);
  deps.logger.info(
    { functions: registry.functions.map((fn) => fn.id), concurrency: deps.options.concurrency },
    "workers started",
  );

  return {
    async close() {
      await Promise.all([router.close(), executor.close()]);
    },
  };
}

/**
 * BullMQ keeps what a processor throws in clear, in the job's hash (`failedReason`, `stacktrace`)
 * and on the queue's event stream, for RETENTION: an error quoting an address (a mail server's
 * 550 that escaped a run) would sit there unsealed. Its message and stack lose the addresses;
 * the error itself is rethrown as it is, so BullMQ's control-flow errors keep their class.
 */
function redactingFailures<J, T>(
  process: (job: J, token?: string) => Promise<T>,
): (job: J, token?: string) => Promise<T> {
  return async (job, token) => {
    try {
      return await process(job, token);
    } catch (error) {
      if (error instanceof Error) {
        error.message = redactEmails(error.message);
        if (error.stack) error.stack = redactEmails(error.stack);
      }
      throw error;
    }
  };
}
