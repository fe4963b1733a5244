import { ulid } from "ulid";
import { BridgeError } from "../errors.js";
import { eventJobId } from "../queue/event-jobs.js";
import { isRedisOutage } from "../redis/redis-outage.js";
/**
 * Makes events durable: dedupe, store and enqueue happen in one BullMQ add script per event, sent
 * as one pipeline, so an accepted event is never stored without being queued (or the reverse) and
 * a webhook costs one Redis round trip. Resolves only once Redis acknowledged.
 *
 * The event id doubles as the job id and the deduplication id: a redelivered svix-id within
 * DEDUPE_WINDOW adds nothing and answers with the same id.
 */
export async function acceptEvents(deps, drafts, source) {
    if (drafts.length === 0)
        return [];
    const receivedAt = Date.now();
    const retentionSeconds = Math.ceil(deps.retentionMs / 1000);
    const events = drafts.map((draft) => ({
        ...draft,
        id: draft.id ?? ulid(receivedAt),
        ts: draft.ts ?? receivedAt,
        receivedAt,
        source,
    }));
    const seal = deps.sealer?.enabled ? deps.sealer.sealEvent : undefined;
    const jobs = events.map((event) => {
        const jobId = eventJobId(event.id);
        return {
            name: event.name,
            data: seal ? seal(event) : event,
            opts: {
                jobId,
                deduplication: { id: jobId, ttl: deps.dedupeWindowMs },
                removeOnComplete: { age: retentionSeconds },
                removeOnFail: { age: retentionSeconds },
            },
        };
    });
    // A lone event skips addBulk's MULTI/EXEC wrapper: half the client CPU for the common case.
    const [only] = jobs;
    try {
        // No timer here: the client fails fast when disconnected and times commands out itself.
        await (jobs.length === 1 && only ? deps.eventsQueue.add(only.name, only.data, only.opts) : deps.eventsQueue.addBulk(jobs));
    }
    catch (error) {
        // 503 tells the sender (Svix) to come back later: only true when Redis itself failed. Anything
        // else (a script error, data that cannot be serialised) would fail again: 500, logged with its cause.
        if (!isRedisOutage(error))
            throw new BridgeError("internal", "the event could not be stored", { cause: error });
        throw new BridgeError("redis_unavailable", "the event store is unavailable; nothing was accepted, retry later", {
            cause: error,
        });
    }
    deps.metrics?.eventsAccepted.inc({ source }, events.length);
    return events.map((event) => event.id);
}
