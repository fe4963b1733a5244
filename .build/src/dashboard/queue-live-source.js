const RUN_CHANGES = ["active", "delayed", "completed", "failed", "waiting"];
function feedFromQueues(feed, sources) {
  const { eventsQueue, eventsEvents, runsEvents, logger } = sources;
  eventsEvents.on("added", ({ jobId }) => {
    eventsQueue.getJob(jobId).then((job) => {
      const event = job?.data;
      if (!event) return;
      const { id, name, ts, receivedAt, source, replayOf } = event;
      feed.publish({ type: "event", event: { id, name, ts, receivedAt, source, ...replayOf ? { replayOf } : {} } });
    }).catch((error) => logger.debug({ err: error, jobId }, "live stream: cannot read an added event"));
  });
  eventsEvents.on("completed", () => feed.publish({ type: "run", change: "routed" }));
  for (const change of RUN_CHANGES) {
    runsEvents.on(change, ({ jobId }) => feed.publish({ type: "run", runId: jobId, change }));
  }
  for (const emitter of [eventsEvents, runsEvents]) {
    emitter.on("error", (error) => logger.warn({ err: error }, "live stream: lost the queue event stream, reconnecting"));
  }
}
export {
  feedFromQueues
};
