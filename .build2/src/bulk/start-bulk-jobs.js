import { isBridgeError } from "../errors.js";
import { replayEvent } from "../dashboard/replay-event.js";
import { startBulkWorker } from "../queue/bulk-queue.js";
import { createEventSearch } from "../search/search-events.js";
import { runBulkJob } from "./run-bulk-job.js";
/** Where a bulk action's items are found: the same reads as the dashboard's lists. */
export function bulkSourcesOf(services) {
    const search = createEventSearch({ redis: services.redis, keys: services.keys, eventLog: services.eventLog });
    return { listEvents: services.eventLog.listEvents, searchEvents: search.searchEvents, listRuns: services.runs.queries.listRuns };
}
/** The three actions, each the same as an operator's one-at-a-time action; a run already past it is skipped. */
export function bulkActionsOf(services) {
    const { commands } = services.runs;
    const skipGone = (error) => {
        if (isBridgeError(error) && (error.code === "conflict" || error.code === "not_found"))
            return "skipped";
        throw error;
    };
    return {
        async replay(eventId, replayId) {
            const original = await services.eventLog.getEvent(eventId);
            if (!original)
                return "skipped";
            await replayEvent(services.accept, original, {}, { id: replayId });
            return "ok";
        },
        retry: (runId) => commands.retryRun(runId).then(() => "ok", skipGone),
        cancel: (runId) => commands.cancelRun(runId, "cancelled in bulk by an operator").then(() => "ok", skipGone),
    };
}
/** The worker of the operator queue, in a worker process; answers its stop. */
export function startBulkJobs(services) {
    const connection = services.createBlockingClient();
    const deps = { redis: services.redis, keys: services.keys, sources: bulkSourcesOf(services), actions: bulkActionsOf(services) };
    const worker = startBulkWorker(connection, services.keys.tag, (job) => runBulkJob(deps, job), (error) => services.logger.error({ err: error }, "bulk action failed"));
    return async () => {
        await worker.close();
        await connection.quit();
    };
}
