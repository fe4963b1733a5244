import type { Redis } from "ioredis";
import { isBridgeError } from "../errors.ts";
import type { RunCommands } from "../engine/store/run-commands.ts";
import type { RunQueries } from "../engine/store/run-queries.ts";
import type { AcceptDeps } from "../events/accept-events.ts";
import type { EventLog } from "../events/event-log.ts";
import { resendEvent } from "../events/resend-event.ts";
import type { Logger } from "../logger.ts";
import type { RedisHealth } from "../redis/redis-health.ts";
import type { BridgeKeys } from "../redis/keys.ts";
import { createEventSearch } from "../search/search-events.ts";
import { bulkJobProcessor, type BulkJobProcessor } from "./bulk-queue.ts";
import { runBulkJob, type BulkActions } from "./run-bulk-job.ts";
import type { BulkSources } from "./select-bulk-items.ts";

/** Where a bulk action's items are found: the event log, its search index and the run queries. */
export interface BulkSourceDeps {
  redis: Redis;
  keys: BridgeKeys;
  eventLog: EventLog;
  runs: { queries: RunQueries };
}

/** What the three actions act through: the intake (a replay), the run commands (retry, cancel). */
export interface BulkActionDeps {
  eventLog: Pick<EventLog, "getEvent">;
  accept: AcceptDeps;
  runs: { commands: RunCommands };
}

/** What the operator queue's worker needs; app/ builds each piece, the worker and its connection included. */
export interface BulkDeps extends BulkSourceDeps, BulkActionDeps {
  eventLog: EventLog;
  runs: { queries: RunQueries; commands: RunCommands };
  logger: Logger;
  redisHealth: Pick<RedisHealth, "absorb">;
  /** Starts the operator queue's worker on a connection of its own; answers its stop. */
  startOperatorWorker(process: BulkJobProcessor, onError: (error: Error, jobId?: string) => void): () => Promise<void>;
}

/** Where a bulk action's items are found: the same reads as the dashboard's lists. */
export function bulkSourcesOf(deps: BulkSourceDeps): BulkSources {
  const search = createEventSearch({ redis: deps.redis, keys: deps.keys, eventLog: deps.eventLog });
  return {
    listEvents: deps.eventLog.listEvents,
    searchEvents: search.searchEvents,
    listRuns: deps.runs.queries.listRuns,
  };
}

/** The three actions, each the same as an operator's one-at-a-time action; a run already past it is skipped. */
export function bulkActionsOf(deps: BulkActionDeps): BulkActions {
  const { commands } = deps.runs;
  const skipGone = (error: unknown): "skipped" => {
    if (isBridgeError(error) && (error.code === "conflict" || error.code === "not_found")) return "skipped";
    throw error;
  };
  return {
    async replay(eventId, replayId) {
      const original = await deps.eventLog.getEvent(eventId);
      if (!original) return "skipped";
      await resendEvent(deps.accept, original, {}, { id: replayId });
      return "ok";
    },
    retry: (runId) => commands.retryRun(runId).then(() => "ok" as const, skipGone),
    cancel: (runId) =>
      commands.cancelRun(runId, "cancelled in bulk by an operator").then(() => "ok" as const, skipGone),
  };
}

/** The worker of the operator queue, in a worker process; answers its stop. */
export function startBulkJobs(deps: BulkDeps): () => Promise<void> {
  const jobDeps = { redis: deps.redis, keys: deps.keys, sources: bulkSourcesOf(deps), actions: bulkActionsOf(deps) };
  // The worker's own errors are not a bulk action's; a Redis outage is logged once by redisHealth.
  const onError = (error: Error, jobId?: string) => {
    if (deps.redisHealth.absorb(error)) return;
    if (jobId === undefined) deps.logger.error({ err: error }, "bulk worker error");
    else deps.logger.error({ err: error, jobId }, "bulk action failed");
  };
  return deps.startOperatorWorker(
    bulkJobProcessor((job) => runBulkJob(jobDeps, job)),
    onError,
  );
}
