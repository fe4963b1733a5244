import { isEventJobId, readEventJobById } from "../queue/event-jobs.js";
function recordRedeliveries(reader, deps) {
  const record = async (jobId) => {
    if (!isEventJobId(jobId)) return;
    const body = await readEventJobById(deps.redis, deps.tag, jobId);
    if (body === void 0) return;
    const event = JSON.parse(body);
    if (!deps.isWebhookSource(event.source)) return;
    await deps.deliveries.record({ source: event.source, svixId: event.id, outcome: "redelivered", status: 200, eventIds: [event.id] });
  };
  const onError = (error) => deps.logger.warn({ err: error }, "delivery log: a redelivery could not be recorded");
  reader.on("deduplicated", ({ deduplicatedJobId }) => void record(deduplicatedJobId).catch(onError));
  reader.on("duplicated", ({ jobId }) => void record(jobId).catch(onError));
}
export {
  recordRedeliveries
};
