/**
 * BullMQ reports a dropped duplicate on the queue's event stream, not to the caller of `add`, so
 * the count is taken here, off the request path. `deduplicated` fires while the dedupe key lives;
 * `duplicated` when the job id still exists. The stream is shared: with several receivers, each
 * reports the cluster-wide count (take the max across instances, not the sum).
 */
export function countDeduplications(queueEvents, metrics) {
    const count = () => metrics.eventsDeduplicated.inc();
    queueEvents.on("deduplicated", count);
    queueEvents.on("duplicated", count);
}
