import type { EventLog } from "../events/event-log.ts";
import type { BridgeEvent } from "../events/event-schema.ts";
import { splitDeliveryCursor } from "./delivery-cursor.ts";
import { indexMember } from "../redis/keys.ts";
import {
  DELIVERY_SCAN_MAX,
  matchesDelivery,
  type DeliveryFilter,
  type DeliveryLog,
  type DeliveryRecord,
} from "./delivery-log.ts";

/** Svix retries for about 27.6 hours: the deliveries before an accepted one fall within this. */
const SVIX_RETRY_SPAN_MS = 28 * 60 * 60 * 1000;

export interface DeliveryQuery extends DeliveryFilter {
  limit: number;
  /** The `next` of the previous page. */
  before?: string;
}

export interface DeliverySources {
  log: DeliveryLog;
  eventLog: Pick<EventLog, "listEvents">;
  /** The sources served by /webhooks/:source: their events are deliveries, the others are not. */
  webhookSources: readonly string[];
  dedupeWindowMs: number;
}

/** An accepted delivery is its event: read from the event log, never written twice. */
export function acceptedDelivery(event: Pick<BridgeEvent, "id" | "source" | "receivedAt">): DeliveryRecord {
  return {
    id: `event:${event.id}`,
    at: event.receivedAt,
    source: event.source,
    svixId: event.id,
    outcome: "accepted",
    status: 200,
    eventIds: [event.id],
  };
}

type Side = { items: Array<{ record: DeliveryRecord; position: string }>; exhausted: boolean; scannedTo?: string };

/**
 * Every delivery, newest first: the delivery log (refused, redelivered, re-run) merged with the
 * accepted events of webhook sources. Each side is read from its own cursor, both carried in
 * `next` as `<log cursor>~<event log cursor>` ("end" once a side is read out), and each read is
 * bounded (DELIVERY_SCAN_MAX entries), so a page may hold fewer than `limit` and still have a next.
 */
export async function listDeliveries(
  sources: DeliverySources,
  query: DeliveryQuery,
): Promise<{ deliveries: DeliveryRecord[]; next?: string }> {
  // The operator API checked its form (page-cursors.ts); split at the first `~`, as an event id may hold one.
  const { log: logCursor, events: eventCursor } = splitDeliveryCursor(query.before) ?? { log: "", events: "" };
  const wantsLog = query.outcome !== "accepted";
  const wantsEvents = !query.outcome || query.outcome === "accepted";
  const [logSide, eventSide] = await Promise.all([
    wantsLog && logCursor !== "end" ? readLog(sources.log, query, logCursor) : ended(),
    wantsEvents && eventCursor !== "end" ? readAccepted(sources, query, eventCursor) : ended(),
  ]);
  // Newest first; within one millisecond the log's entries first, each side in its own order, so
  // a page boundary falls in the same place however the pages are cut.
  const merged = [
    ...logSide.items.map((item, order) => ({ ...item, side: logSide, rank: order })),
    ...eventSide.items.map((item, order) => ({ ...item, side: eventSide, rank: logSide.items.length + order })),
  ];
  const taken = merged.sort((a, b) => b.record.at - a.record.at || a.rank - b.rank).slice(0, query.limit);
  const cursorOf = (side: Side, before: string) => {
    const mine = taken.filter((item) => item.side === side);
    if (mine.length === side.items.length && side.exhausted) return "end";
    return mine.at(-1)?.position ?? (side.items.length === 0 ? (side.scannedTo ?? before) : before);
  };
  const next = [cursorOf(logSide, logCursor), cursorOf(eventSide, eventCursor)];
  return {
    deliveries: taken.map((item) => item.record),
    ...(next.every((cursor) => cursor === "end") ? {} : { next: next.join("~") }),
  };
}

const ended = async (): Promise<Side> => ({ items: [], exhausted: true });

async function readLog(log: DeliveryLog, query: DeliveryQuery, before: string): Promise<Side> {
  const page = await log.list({ ...query, before: before || undefined });
  return {
    items: page.items.map((record) => ({ record, position: record.id })),
    exhausted: page.next === undefined,
    scannedTo: page.next,
  };
}

async function readAccepted(sources: DeliverySources, query: DeliveryQuery, before: string): Promise<Side> {
  const items: Side["items"] = [];
  let cursor = before || undefined;
  for (let scanned = 0; items.length < query.limit && scanned < DELIVERY_SCAN_MAX;) {
    const page = await sources.eventLog.listEvents({ limit: 200, before: cursor });
    for (const event of page.items) {
      const record = acceptedDelivery(event);
      if (!sources.webhookSources.includes(event.source) || !matchesDelivery(record, query)) continue;
      items.push({ record, position: indexMember(event.receivedAt, event.id) });
      if (items.length === query.limit) break;
    }
    scanned += page.items.length;
    if (!page.next) return { items, exhausted: true };
    cursor = page.next;
  }
  return { items, exhausted: false, scannedTo: cursor };
}

/**
 * The deliveries that carried an event, oldest first: refusals of its svix-id before it was
 * accepted (a rotated secret, a template bug), the accepted one (the event itself, unless a re-run
 * accepted it) and Svix's redeliveries after. An event a template made one of several carries the
 * svix-id with `-<n>` appended: both are looked for.
 */
export async function deliveriesOfEvent(sources: DeliverySources, event: BridgeEvent): Promise<DeliveryRecord[]> {
  if (!sources.webhookSources.includes(event.source)) return [];
  const ids = [event.id, event.id.replace(/-\d+$/, "")];
  const logged = await sources.log.findBySvixIds(
    ids,
    event.receivedAt - SVIX_RETRY_SPAN_MS,
    event.receivedAt + sources.dedupeWindowMs,
  );
  const rerun = logged.some((record) => record.outcome === "rerun" && record.eventIds?.includes(event.id));
  return [...logged, ...(rerun ? [] : [acceptedDelivery(event)])].sort((a, b) => a.at - b.at);
}
