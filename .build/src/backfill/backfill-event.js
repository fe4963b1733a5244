import { digest } from "../redis/keys.js";
function backfillEventId(record) {
  return `backfill-${digest(`${record.id}:${record.updatedAt}`)}`;
}
function toBackfillEvent(eventName, record) {
  return { id: backfillEventId(record), name: eventName, data: record.raw, ts: record.updatedAt };
}
export {
  backfillEventId,
  toBackfillEvent
};
