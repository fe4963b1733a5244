import { createHash } from "node:crypto";
import { EVENTS_QUEUE } from "./queue-names.js";
const SAFE_ID = /^[A-Za-z0-9_.~-]{1,200}$/;
function eventJobId(eventId) {
  if (SAFE_ID.test(eventId)) return `e-${eventId}`;
  return `h-${createHash("sha256").update(eventId).digest("base64url").slice(0, 32)}`;
}
async function readEventJobs(redis, tag, eventIds) {
  if (eventIds.length === 0) return [];
  const pipeline = redis.pipeline();
  for (const id of eventIds) pipeline.hget(eventJobKey(tag, id), "data");
  const results = await pipeline.exec() ?? [];
  return results.map(([error, data]) => {
    if (error) throw error;
    return typeof data === "string" ? data : void 0;
  });
}
function eventJobKey(tag, eventId) {
  return `${tag}:${EVENTS_QUEUE}:${eventJobId(eventId)}`;
}
function isEventJobId(jobId) {
  return jobId.startsWith("e-") || jobId.startsWith("h-");
}
async function readEventJobById(redis, tag, jobId) {
  const data = await redis.hget(`${tag}:${EVENTS_QUEUE}:${jobId}`, "data");
  return data ?? void 0;
}
export {
  eventJobId,
  eventJobKey,
  isEventJobId,
  readEventJobById,
  readEventJobs
};
