import { IDENTITY_SEALER } from "../crypto/sealer.js";
import { readEventJobs } from "../queue/event-jobs.js";
import { idFromIndexMember, indexMember } from "../redis/keys.js";
function createEventLog(deps) {
  const { redis, keys } = deps;
  const sealer = deps.sealer ?? IDENTITY_SEALER;
  const parse = (body) => sealer.openEvent(JSON.parse(body));
  function entryOf(event) {
    return { allKey: keys.eventLog, nameKey: keys.eventLogByName(event.name), member: indexMember(event.receivedAt, event.id) };
  }
  async function getEvent(id) {
    const [body] = await readEventJobs(redis, keys.tag, [id]);
    return body === void 0 ? void 0 : parse(body);
  }
  async function getEvents(ids) {
    const bodies = await readEventJobs(redis, keys.tag, ids);
    return bodies.filter((body) => body !== void 0).map(parse);
  }
  async function listEvents(query) {
    const key = query.name ? keys.eventLogByName(query.name) : keys.eventLog;
    const upper = query.before ? `(${query.before}` : query.until !== void 0 ? `(${indexMember(query.until + 1, "")}` : "+";
    const lower = query.since !== void 0 ? `[${indexMember(query.since, "")}` : "-";
    const members = await redis.zrevrangebylex(key, upper, lower, "LIMIT", 0, query.limit);
    const bodies = await readEventJobs(redis, keys.tag, members.map(idFromIndexMember));
    const items = bodies.filter((body) => body !== void 0).map(parse);
    const last = members.at(-1);
    return { items, next: members.length === query.limit && last ? last : void 0 };
  }
  async function trim(names) {
    const oldest = `(${indexMember(Date.now() - deps.retentionMs, "")}`;
    const pipeline = redis.pipeline().zremrangebylex(keys.eventLog, "-", oldest);
    for (const name of names) pipeline.zremrangebylex(keys.eventLogByName(name), "-", oldest);
    await pipeline.exec();
  }
  return { entryOf, getEvent, getEvents, listEvents, trim };
}
export {
  createEventLog
};
