import { digest } from "../redis/keys.js";
/**
 * The id of a backfilled copy: one per version of the object (its id and `updated_at`), so a
 * second run, or a page sent again after an interruption, is deduplicated by the intake like a
 * redelivered webhook, while a user changed since the last run gets a new event.
 */
export function backfillEventId(record) {
    return `backfill-${digest(`${record.id}:${record.updatedAt}`)}`;
}
/**
 * A record as the event the intake receives: the webhook's `data` shape (the Backend API JSON),
 * and `ts` the object's `updated_at`, the time of the version it carries.
 */
export function toBackfillEvent(eventName, record) {
    return { id: backfillEventId(record), name: eventName, data: record.raw, ts: record.updatedAt };
}
