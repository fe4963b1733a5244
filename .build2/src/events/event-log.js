import { IDENTITY_SEALER } from "../crypto/sealer.js";
import { readEventJobs } from "../queue/event-jobs.js";
import { idFromIndexMember, indexMember } from "../redis/keys.js";
/**
 * The history of accepted events, for the dashboard. The router records each event as it routes
 * it (in lua/route-event.lua, with the keys from `entryOf`), so the webhook path stays one Redis
 * round trip. The index holds ids only: the body is stored once, in the event's BullMQ job,
 * which the intake keeps for RETENTION (read through the queue layer).
 *
 * Index members are `<13-digit receivedAt>|<id>` in sorted sets with score 0, so lexicographic
 * order is time order, ties (a batch shares one millisecond) are ordered by id, and a member is
 * an exact page cursor.
 */
export function createEventLog(deps) {
    const { redis, keys } = deps;
    const sealer = deps.sealer ?? IDENTITY_SEALER;
    /** A stored event, its personal data opened (ENCRYPTION_KEY). */
    const parse = (body) => sealer.openEvent(JSON.parse(body));
    /** The index keys and member of an event, for a caller that writes them in its own script. */
    function entryOf(event) {
        return { allKey: keys.eventLog, nameKey: keys.eventLogByName(event.name), member: indexMember(event.receivedAt, event.id) };
    }
    async function getEvent(id) {
        const [body] = await readEventJobs(redis, keys.tag, [id]);
        return body === undefined ? undefined : parse(body);
    }
    /** Several events by id, in that order; those expired are left out. */
    async function getEvents(ids) {
        const bodies = await readEventJobs(redis, keys.tag, ids);
        return bodies.filter((body) => body !== undefined).map(parse);
    }
    /** Newest first. */
    async function listEvents(query) {
        const key = query.name ? keys.eventLogByName(query.name) : keys.eventLog;
        const upper = query.before ? `(${query.before}` : query.until !== undefined ? `(${indexMember(query.until + 1, "")}` : "+";
        const lower = query.since !== undefined ? `[${indexMember(query.since, "")}` : "-";
        const members = await redis.zrevrangebylex(key, upper, lower, "LIMIT", 0, query.limit);
        const bodies = await readEventJobs(redis, keys.tag, members.map(idFromIndexMember));
        const items = bodies.filter((body) => body !== undefined).map(parse);
        const last = members.at(-1);
        return { items, next: members.length === query.limit && last ? last : undefined };
    }
    /** Drops entries older than the retention; `names` are the per-name indexes to trim as well. */
    async function trim(names) {
        const oldest = `(${indexMember(Date.now() - deps.retentionMs, "")}`;
        const pipeline = redis.pipeline().zremrangebylex(keys.eventLog, "-", oldest);
        for (const name of names)
            pipeline.zremrangebylex(keys.eventLogByName(name), "-", oldest);
        await pipeline.exec();
    }
    return { entryOf, getEvent, getEvents, listEvents, trim };
}
