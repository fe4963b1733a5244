import type { Queue, QueueEvents } from "bullmq";
import type { BridgeEvent } from "../events/event-schema.ts";
import type { Logger } from "../logger.ts";
import type { LiveFeed } from "./live-feed.ts";

/** The BullMQ job events that mean a run changed: started, suspended, finished, failed. */
const RUN_CHANGES = ["active", "delayed", "completed", "failed", "waiting"] as const;

/**
 * Feeds the live stream from BullMQ's own event streams, which every receiver can read without
 * touching the request path: "added" on the events queue is a new event (read back once for its
 * name), "completed" there means its runs were created, and job changes on the runs queue are
 * run changes (a run's job id is its run id).
 */
export function feedFromQueues(
  feed: LiveFeed,
  sources: { eventsQueue: Queue; eventsEvents: QueueEvents; runsEvents: QueueEvents; logger: Logger },
): void {
  const { eventsQueue, eventsEvents, runsEvents, logger } = sources;
  eventsEvents.on("added", ({ jobId }) => {
    eventsQueue
      .getJob(jobId)
      .then((job) => {
        const event = job?.data as BridgeEvent | undefined;
        if (!event) return;
        const { id, name, ts, receivedAt, source, replayOf } = event;
        feed.publish({ type: "event", event: { id, name, ts, receivedAt, source, ...(replayOf ? { replayOf } : {}) } });
      })
      .catch((error: unknown) => logger.debug({ err: error, jobId }, "live stream: cannot read an added event"));
  });
  eventsEvents.on("completed", () => feed.publish({ type: "run", change: "routed" }));
  for (const change of RUN_CHANGES) {
    runsEvents.on(change, ({ jobId }: { jobId: string }) => feed.publish({ type: "run", runId: jobId, change }));
  }
  for (const emitter of [eventsEvents, runsEvents]) {
    // The readers reconnect by themselves; a Redis outage is logged once, by the services' redisHealth.
    emitter.on("error", (error) =>
      logger.debug({ err: error }, "live stream: lost the queue event stream, reconnecting"),
    );
  }
}
