import type { Redis } from "ioredis";
import type { EventLog, EventQuery } from "../events/event-log.ts";
import type { BridgeEvent } from "../events/event-schema.ts";
import { idFromIndexMember, indexMember, type BridgeKeys } from "../redis/keys.ts";
import { stringsOf } from "../redis/replies.ts";
import { filterInSlices } from "../util/filter-in-slices.ts";
import { matchesData, matchesName, parseEventSearch } from "./event-search-query.ts";

/** A data search reads at most this many events per page (the newest first): the scan's bound. */
export const DATA_SCAN_MAX = 5000;
/** A name search reads each matching name's own index, up to this many names; past it, it scans. */
export const NAME_UNION_MAX = 50;
const BATCH = 200;

export interface EventSearchResult {
  items: BridgeEvent[];
  next?: string;
  /** How the query was read: one id, these names (indexed), or a scan of the data (`scanned` events). */
  search: { kind: "id" | "names" | "data"; names?: string[]; scanned?: number };
}

type Range = { upper: string; lower: string };

/**
 * Server-side event search (see event-search-query.ts for what a query means). Ids and names are
 * indexed: an id is one read, a name pattern is expanded against the set of names seen and each
 * name's own time index is read. Data is scanned: newest first, at most DATA_SCAN_MAX events per
 * page, with a `next` to scan on from.
 */
export function createEventSearch(deps: {
  redis: Redis;
  keys: Pick<BridgeKeys, "eventLog" | "eventLogByName" | "eventNames">;
  eventLog: Pick<EventLog, "getEvent" | "getEvents">;
}) {
  const { redis, keys, eventLog } = deps;

  async function searchEvents(query: EventQuery & { q: string }): Promise<EventSearchResult> {
    const search = parseEventSearch(query.q);
    const range: Range = {
      upper: query.before
        ? `(${query.before}`
        : query.until !== undefined
          ? `(${indexMember(query.until + 1, "")}`
          : "+",
      lower: query.since !== undefined ? `[${indexMember(query.since, "")}` : "-",
    };
    if (search.kind === "path") return scanData(range, query.limit, (event) => matchesData(event, search));
    if (search.kind === "term" && !query.before) {
      const event = await eventLog.getEvent(search.term);
      if (event) return { items: [event], search: { kind: "id" } };
    }
    // At most MAX_EVENT_NAMES names of at most 256 characters, matched in slices between which
    // health checks and webhooks are served.
    const names = (
      await filterInSlices(await redis.zrange(keys.eventNames, "0", "-1"), (name) => matchesName(name, search))
    ).sort();
    if (search.kind === "term" && names.length === 0)
      return scanData(range, query.limit, (event) => matchesData(event, search));
    return searchNames(names, range, query.limit);
  }

  async function searchNames(names: string[], range: Range, limit: number): Promise<EventSearchResult> {
    if (names.length > NAME_UNION_MAX) {
      const wanted = new Set(names);
      const scan = await scanData(range, limit, (event) => wanted.has(event.name));
      return {
        ...scan,
        search: { kind: "names", names: names.slice(0, NAME_UNION_MAX), scanned: scan.search.scanned ?? 0 },
      };
    }
    const pipeline = redis.pipeline();
    for (const name of names)
      pipeline.zrevrangebylex(keys.eventLogByName(name), range.upper, range.lower, "LIMIT", 0, limit);
    const replies = (await pipeline.exec()) ?? [];
    const members = replies.flatMap(([error, found]) => {
      if (error) throw error;
      return stringsOf(found);
    });
    const page = [...new Set(members)].sort().reverse().slice(0, limit);
    const items = await eventLog.getEvents(page.map(idFromIndexMember));
    return { items, ...(page.length === limit ? { next: page.at(-1) } : {}), search: { kind: "names", names } };
  }

  async function scanData(
    range: Range,
    limit: number,
    matches: (event: BridgeEvent) => boolean,
  ): Promise<EventSearchResult> {
    const items: BridgeEvent[] = [];
    let upper = range.upper;
    let scanned = 0;
    let cursor: string | undefined;
    while (items.length < limit && scanned < DATA_SCAN_MAX) {
      const members = await redis.zrevrangebylex(keys.eventLog, upper, range.lower, "LIMIT", 0, BATCH);
      const events = new Map(
        (await eventLog.getEvents(members.map(idFromIndexMember))).map((event) => [event.id, event]),
      );
      for (const member of members) {
        cursor = member;
        scanned++;
        const event = events.get(idFromIndexMember(member));
        if (event && matches(event)) items.push(event);
        if (items.length === limit) break;
      }
      if (members.length < BATCH && items.length < limit) return { items, search: { kind: "data", scanned } };
      upper = `(${cursor}`;
    }
    return { items, ...(cursor ? { next: cursor } : {}), search: { kind: "data", scanned } };
  }

  return { searchEvents };
}

export type EventSearch = ReturnType<typeof createEventSearch>;
