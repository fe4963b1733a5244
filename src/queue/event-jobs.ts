import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import { EVENTS_QUEUE } from "./queue-names.ts";

const SAFE_ID = /^[A-Za-z0-9_.~-]{1,200}$/;

/**
 * The BullMQ job id of an event id. Always prefixed, so no event id can name one of BullMQ's own
 * keys under the queue (`{cwb}:events:wait`, `:meta`, `:marker`, `:active`, `:de:...`): an event
 * id "wait" once made that key a job hash and wedged intake for good. Ids BullMQ refuses
 * (containing ":"), and long ids that would bloat every key, become a stable digest, so the same
 * event id always maps to the same job, which is what makes redelivery idempotent.
 */
export function eventJobId(eventId: string): string {
  if (SAFE_ID.test(eventId)) return `e-${eventId}`;
  return `h-${createHash("sha256").update(eventId).digest("base64url").slice(0, 32)}`;
}

/**
 * Reads stored event bodies by event id: the intake's BullMQ job keeps the event as its `data`
 * for RETENTION, so the body is stored once. This is the one place that reads BullMQ's job hash
 * layout (`<prefix>:<queue>:<jobId>`, field `data`). Missing events are undefined.
 */
export async function readEventJobs(
  redis: Redis,
  tag: string,
  eventIds: readonly string[],
): Promise<Array<string | undefined>> {
  if (eventIds.length === 0) return [];
  const pipeline = redis.pipeline();
  for (const id of eventIds) pipeline.hget(eventJobKey(tag, id), "data");
  const results = (await pipeline.exec()) ?? [];
  return results.map(([error, data]) => {
    if (error) throw error;
    return typeof data === "string" ? data : undefined;
  });
}

/** The key of an event's job hash, for a script that reads the body in the same call. */
export function eventJobKey(tag: string, eventId: string): string {
  return `${tag}:${EVENTS_QUEUE}:${eventJobId(eventId)}`;
}

/** Whether a job id on the events queue is an event's (cron ticks and other jobs are not). */
export function isEventJobId(jobId: string): boolean {
  return jobId.startsWith("e-") || jobId.startsWith("h-");
}

/** An event body by its job id, as BullMQ's queue events name it; undefined once the job is gone. */
export async function readEventJobById(redis: Redis, tag: string, jobId: string): Promise<string | undefined> {
  const data = await redis.hget(`${tag}:${EVENTS_QUEUE}:${jobId}`, "data");
  return data ?? undefined;
}
