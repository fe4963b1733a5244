import { ulid } from "ulid";
import { BridgeError } from "../errors.js";
import { eventJobId } from "../queue/event-jobs.js";
import { isRedisOutage } from "../redis/redis-outage.js";
async function acceptEvents(deps, drafts, source) {
  if (drafts.length === 0) return [];
  const receivedAt = Date.now();
  const retentionSeconds = Math.ceil(deps.retentionMs / 1e3);
  const events = drafts.map((draft) => ({
    ...draft,
    id: draft.id ?? ulid(receivedAt),
    ts: draft.ts ?? receivedAt,
    receivedAt,
    source
  }));
  const seal = deps.sealer?.enabled ? deps.sealer.sealEvent : void 0;
  const jobs = events.map((event) => {
    const jobId = eventJobId(event.id);
    return {
      name: event.name,
      data: seal ? seal(event) : event,
      opts: {
        jobId,
        deduplication: { id: jobId, ttl: deps.dedupeWindowMs },
        removeOnComplete: { age: retentionSeconds },
        removeOnFail: { age: retentionSeconds }
      }
    };
  });
  const [only] = jobs;
  try {
    await (jobs.length === 1 && only ? deps.eventsQueue.add(only.name, only.data, only.opts) : deps.eventsQueue.addBulk(jobs));
  } catch (error) {
    if (!isRedisOutage(error)) throw new BridgeError("internal", "the event could not be stored", { cause: error });
    throw new BridgeError("redis_unavailable", "the event store is unavailable; nothing was accepted, retry later", {
      cause: error
    });
  }
  deps.metrics?.eventsAccepted.inc({ source }, events.length);
  return events.map((event) => event.id);
}
export {
  acceptEvents
};
