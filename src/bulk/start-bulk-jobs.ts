import { isBridgeError } from "../errors.ts";
import { resendEvent } from "../dashboard/replay-event.ts";
import { startBulkWorker } from "../queue/bulk-queue.ts";
import { createEventSearch } from "../search/search-events.ts";
import type { Services } from "../services/create-services.ts";
import { runBulkJob, type BulkActions } from "./run-bulk-job.ts";
import type { BulkSources } from "./select-bulk-items.ts";

type BulkServices = Pick<Services, "redis" | "keys" | "eventLog" | "accept" | "runs" | "logger" | "createBlockingClient" | "redisHealth">;

/** Where a bulk action's items are found: the same reads as the dashboard's lists. */
export function bulkSourcesOf(services: Pick<Services, "redis" | "keys" | "eventLog" | "runs">): BulkSources {
  const search = createEventSearch({ redis: services.redis, keys: services.keys, eventLog: services.eventLog });
  return { listEvents: services.eventLog.listEvents, searchEvents: search.searchEvents, listRuns: services.runs.queries.listRuns };
}

/** The three actions, each the same as an operator's one-at-a-time action; a run already past it is skipped. */
export function bulkActionsOf(services: Pick<Services, "eventLog" | "accept" | "runs">): BulkActions {
  const { commands } = services.runs;
  const skipGone = (error: unknown): "skipped" => {
    if (isBridgeError(error) && (error.code === "conflict" || error.code === "not_found")) return "skipped";
    throw error;
  };
  return {
    async replay(eventId, replayId) {
      const original = await services.eventLog.getEvent(eventId);
      if (!original) return "skipped";
      await resendEvent(services.accept, original, {}, { id: replayId });
      return "ok";
    },
    retry: (runId) => commands.retryRun(runId).then(() => "ok" as const, skipGone),
    cancel: (runId) => commands.cancelRun(runId, "cancelled in bulk by an operator").then(() => "ok" as const, skipGone),
  };
}

/** The worker of the operator queue, in a worker process; answers its stop. */
export function startBulkJobs(services: BulkServices): () => Promise<void> {
  const connection = services.createBlockingClient();
  const deps = { redis: services.redis, keys: services.keys, sources: bulkSourcesOf(services), actions: bulkActionsOf(services) };
  // The worker's own errors are not a bulk action's; a Redis outage is logged once by redisHealth.
  const onError = (error: Error, jobId?: string) => {
    if (services.redisHealth.absorb(error)) return;
    if (jobId === undefined) services.logger.error({ err: error }, "bulk worker error");
    else services.logger.error({ err: error, jobId }, "bulk action failed");
  };
  const worker = startBulkWorker(connection, services.keys.tag, (job) => runBulkJob(deps, job), onError);
  return async () => {
    await worker.close();
    await connection.quit();
  };
}
