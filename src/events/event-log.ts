import type { Redis } from "ioredis";
import { EVENTS_QUEUE, keyPrefix } from "../queue/queue-names.ts";
import { eventJobId } from "./event-job-id.ts";
import type { BridgeEvent } from "./event-schema.ts";

export interface EventLogDeps {
  redis: Redis;
  prefix: string;
  retentionMs: number;
}

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
 * round trip. The index holds ids only: the body already
 * lives in the event's BullMQ job hash, which the intake keeps for RETENTION.
 *
 * Index members are `<13-digit receivedAt>|<id>` in sorted sets with score 0, so lexicographic
 * order is time order, ties (a batch shares one millisecond) are ordered by id, and a member is
 * an exact page cursor.
 */
export function createEventLog(deps: EventLogDeps) {
  const tag = keyPrefix(deps.prefix);
  const allKey = `${tag}:event-log`;
  const nameKey = (name: string) => `${tag}:event-log:name:${name}`;
  const bodyKey = (id: string) => `${tag}:${EVENTS_QUEUE}:${eventJobId(id)}`;

  /** The index keys and member of an event, for a caller that writes them in its own script. */
  function entryOf(event: Pick<BridgeEvent, "id" | "name" | "receivedAt">) {
    return { allKey, nameKey: nameKey(event.name), member: logMember(event.receivedAt, event.id) };
  }

  async function getEvent(id: string): Promise<BridgeEvent | undefined> {
    const data = await deps.redis.hget(bodyKey(id), "data");
    return data ? (JSON.parse(data) as BridgeEvent) : undefined;
  }

  /** Newest first. */
  async function listEvents(query: EventQuery): Promise<EventPage> {
    const key = query.name ? nameKey(query.name) : allKey;
    const upper = query.before ? `(${query.before}` : query.until !== undefined ? `(${logMember(query.until + 1, "")}` : "+";
    const lower = query.since !== undefined ? `[${logMember(query.since, "")}` : "-";
    const members = await deps.redis.zrevrangebylex(key, upper, lower, "LIMIT", 0, query.limit);
    const pipeline = deps.redis.pipeline();
    for (const member of members) pipeline.hget(bodyKey(member.slice(member.indexOf("|") + 1)), "data");
    const bodies = members.length > 0 ? ((await pipeline.exec()) ?? []) : [];
    const items = bodies
      .map(([, data]) => (typeof data === "string" ? (JSON.parse(data) as BridgeEvent) : undefined))
      .filter((event): event is BridgeEvent => event !== undefined);
    const last = members.at(-1);
    return { items, next: members.length === query.limit && last ? last : undefined };
  }

  /** Drops entries older than the retention; `names` are the per-name indexes to trim as well. */
  async function trim(names: Iterable<string>): Promise<void> {
    const oldest = `(${logMember(Date.now() - deps.retentionMs, "")}`;
    const pipeline = deps.redis.pipeline().zremrangebylex(allKey, "-", oldest);
    for (const name of names) pipeline.zremrangebylex(nameKey(name), "-", oldest);
    await pipeline.exec();
  }

  return { entryOf, getEvent, listEvents, trim };
}

export type EventLog = ReturnType<typeof createEventLog>;

function logMember(time: number, id: string): string {
  return `${String(Math.max(0, Math.floor(time))).padStart(13, "0")}|${id}`;
}
