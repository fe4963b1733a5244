import type { QueueEvents } from "bullmq";
import type { Redis } from "ioredis";
import type { BridgeEvent } from "../events/event-schema.ts";
import type { Logger } from "../logger.ts";
import type { RedisHealth } from "../redis/redis-health.ts";
import { isEventJobId, readEventJobById } from "../queue/event-jobs.ts";
import type { DeliveryLog } from "./delivery-log.ts";

/**
 * Svix redelivers a message it thinks failed (a timeout, a 5xx, a resend from its dashboard)
 * with the same svix-id; the intake answers 200 and BullMQ drops the duplicate. BullMQ reports
 * that on the events queue's event stream, so the delivery is logged from there, off the request
 * path: the webhook costs no extra write. Only events of a webhook source count (the Event API
 * dedupes ids too, but those are not deliveries). Read while one process watches the stream:
 * a redelivery while none does is not logged.
 */
export function recordRedeliveries(
  reader: QueueEvents,
  deps: {
    redis: Redis;
    tag: string;
    deliveries: Pick<DeliveryLog, "record">;
    isWebhookSource(source: string): boolean;
    logger: Logger;
    redisHealth?: Pick<RedisHealth, "absorb">;
  },
): void {
  const record = async (jobId: string) => {
    if (!isEventJobId(jobId)) return;
    const body = await readEventJobById(deps.redis, deps.tag, jobId);
    if (body === undefined) return;
    const event = JSON.parse(body) as Pick<BridgeEvent, "id" | "source">;
    if (!deps.isWebhookSource(event.source)) return;
    await deps.deliveries.record({
      source: event.source,
      svixId: event.id,
      outcome: "redelivered",
      status: 200,
      eventIds: [event.id],
    });
  };
  const onError = (error: unknown) =>
    deps.redisHealth?.absorb(error) ||
    deps.logger.warn({ err: error }, "delivery log: a redelivery could not be recorded");
  // `deduplicated` while the dedupe key lives; `duplicated` when only the job id is left.
  reader.on("deduplicated", ({ deduplicatedJobId }) => void record(deduplicatedJobId).catch(onError));
  reader.on("duplicated", ({ jobId }) => void record(jobId).catch(onError));
}
