/** The BullMQ job events that mean a run changed: started, suspended, finished, failed. */
const RUN_CHANGES = ["active", "delayed", "completed", "failed", "waiting"];
/**
 * Feeds the live stream from BullMQ's own event streams, which every receiver can read without
 * touching the request path: "added" on the events queue is a new event (read back once for its
 * name), "completed" there means its runs were created, and job changes on the runs queue are
 * run changes (a run's job id is its run id).
 */
export function feedFromQueues(feed, sources) {
    const { eventsQueue, eventsEvents, runsEvents, logger } = sources;
    eventsEvents.on("added", ({ jobId }) => {
        eventsQueue
            .getJob(jobId)
            .then((job) => {
            const event = job?.data;
            if (!event)
                return;
            const { id, name, ts, receivedAt, source, replayOf } = event;
            feed.publish({ type: "event", event: { id, name, ts, receivedAt, source, ...(replayOf ? { replayOf } : {}) } });
        })
            .catch((error) => logger.debug({ err: error, jobId }, "live stream: cannot read an added event"));
    });
    eventsEvents.on("completed", () => feed.publish({ type: "run", change: "routed" }));
    for (const change of RUN_CHANGES) {
        runsEvents.on(change, ({ jobId }) => feed.publish({ type: "run", runId: jobId, change }));
    }
    for (const emitter of [eventsEvents, runsEvents]) {
        emitter.on("error", (error) => logger.warn({ err: error }, "live stream: lost the queue event stream, reconnecting"));
    }
}
