import { isBridgeError } from "../errors.js";
import { replayEvent } from "../dashboard/replay-event.js";
import { startBulkWorker } from "../queue/bulk-queue.js";
import { createEventSearch } from "../search/search-events.js";
import { runBulkJob } from "./run-bulk-job.js";
function bulkSourcesOf(services) {
  const search = createEventSearch({ redis: services.redis, keys: services.keys, eventLog: services.eventLog });
  return { listEvents: services.eventLog.listEvents, searchEvents: search.searchEvents, listRuns: services.runs.queries.listRuns };
}
function bulkActionsOf(services) {
  const { commands } = services.runs;
  const skipGone = (error) => {
    if (isBridgeError(error) && (error.code === "conflict" || error.code === "not_found")) return "skipped";
    throw error;
  };
  return {
    async replay(eventId, replayId) {
      const original = await services.eventLog.getEvent(eventId);
      if (!original) return "skipped";
      await replayEvent(services.accept, original, {}, { id: replayId });
      return "ok";
    },
    retry: (runId) => commands.retryRun(runId).then(() => "ok", skipGone),
    cancel: (runId) => commands.cancelRun(runId, "cancelled in bulk by an operator").then(() => "ok", skipGone)
  };
}
function startBulkJobs(services) {
  const connection = services.createBlockingClient();
  const deps = { redis: services.redis, keys: services.keys, sources: bulkSourcesOf(services), actions: bulkActionsOf(services) };
  const worker = startBulkWorker(connection, services.keys.tag, (job) => runBulkJob(deps, job), (error) => services.logger.error({ err: error }, "bulk action failed"));
  return async () => {
    await worker.close();
    await connection.quit();
  };
}
export {
  bulkActionsOf,
  bulkSourcesOf,
  startBulkJobs
};
