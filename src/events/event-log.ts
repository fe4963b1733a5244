import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { IDENTITY_SEALER, type Sealer } from "../crypto/sealer.ts";
import { eventJobId, readEventJobs } from "../queue/event-jobs.ts";
import { idFromIndexMember, indexMember, type BridgeKeys } from "../redis/keys.ts";
import type { BridgeEvent } from "./event-schema.ts";
import type { PersonalDataStore } from "./personal-data.ts";

export interface EventQuery {
  name?: string;
  /** Received at or after (ms). */
  since?: number;
  /** Received at or before (ms). */
  until?: number;
  limit: number;
  /** The `next` cursor of the previous page. */
  before?: string;
}

export interface EventPage {
  items: BridgeEvent[];
  /** Pass as `before` to get the next (older) page; absent on the last page. */
  next?: string;
}

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
export function createEventLog(deps: { redis: Redis; keys: BridgeKeys; retentionMs: number; sealer?: Sealer }) {
  const { redis, keys } = deps;
  const sealer = deps.sealer ?? IDENTITY_SEALER;
  /** A stored event, its personal data opened (ENCRYPTION_KEY). */
  const parse = (body: string) => sealer.openEvent(JSON.parse(body) as BridgeEvent);

  /** The index keys and member of an event, for a caller that writes them in its own script. */
  function entryOf(event: Pick<BridgeEvent, "id" | "name" | "receivedAt">) {
    return {
      allKey: keys.eventLog,
      nameKey: keys.eventLogByName(event.name),
      member: indexMember(event.receivedAt, event.id),
    };
  }

  async function getEvent(id: string): Promise<BridgeEvent | undefined> {
    const [body] = await readEventJobs(redis, keys.tag, [id]);
    return body === undefined ? undefined : parse(body);
  }

  /** Several events by id, in that order; those expired are left out. */
  async function getEvents(ids: readonly string[]): Promise<BridgeEvent[]> {
    const bodies = await readEventJobs(redis, keys.tag, ids);
    return bodies.filter((body): body is string => body !== undefined).map(parse);
  }

  /** Newest first. */
  async function listEvents(query: EventQuery): Promise<EventPage> {
    const key = query.name ? keys.eventLogByName(query.name) : keys.eventLog;
    const upper = query.before
      ? `(${query.before}`
      : query.until !== undefined
        ? `(${indexMember(query.until + 1, "")}`
        : "+";
    const lower = query.since !== undefined ? `[${indexMember(query.since, "")}` : "-";
    const members = await redis.zrevrangebylex(key, upper, lower, "LIMIT", 0, query.limit);
    const bodies = await readEventJobs(redis, keys.tag, members.map(idFromIndexMember));
    const items = bodies.filter((body): body is string => body !== undefined).map(parse);
    const last = members.at(-1);
    return { items, next: members.length === query.limit && last ? last : undefined };
  }

  /** Drops entries older than the retention; `names` are the per-name indexes to trim as well. */
  async function trim(names: Iterable<string>): Promise<void> {
    const oldest = `(${indexMember(Date.now() - deps.retentionMs, "")}`;
    const pipeline = redis.pipeline().zremrangebylex(keys.eventLog, "-", oldest);
    for (const name of names) pipeline.zremrangebylex(keys.eventLogByName(name), "-", oldest);
    await pipeline.exec();
  }

  return { entryOf, getEvent, getEvents, listEvents, trim };
}

export type EventLog = ReturnType<typeof createEventLog>;

/**
 * Erasure of the user's events (their runs go first, found through `eventRuns`): each event's
 * job, which holds its body, its log entries and its list of runs; last, the user's index, so an
 * erasure cut short finds the events again when repeated.
 */
export const userEvents: PersonalDataStore<{
  redis: Redis;
  keys: BridgeKeys;
  queues: { events: Queue };
  eventLog: Pick<EventLog, "entryOf">;
}> = {
  name: "events",
  holds: "the events naming the user (their bodies live in the intake's jobs), the history's entries and indexes",
  families: ["eventLog", "eventLogByName", "userEvents", "legacyUserEvents", "eventRuns", "legacyEventRuns"],
  async erase({ redis, keys, queues, eventLog }, user) {
    for (const { id, event } of user.events) {
      await queues.events.remove(eventJobId(id)).catch(() => undefined);
      const transaction = redis.multi().del(keys.eventRuns(id), keys.legacyEventRuns(id));
      if (event) {
        const { allKey, nameKey, member } = eventLog.entryOf(event);
        transaction.zrem(allKey, member).zrem(nameKey, member);
      }
      await transaction.exec();
    }
    const ids = user.events.map((each) => each.id);
    if (ids.length > 0)
      await redis
        .multi()
        .hdel(keys.userEvents(user.id), ...ids)
        .srem(keys.legacyUserEvents(user.id), ...ids)
        .exec();
    return { events: ids.length };
  },
};
