import type { Redis } from "ioredis";
import { ulid } from "ulid";
import type { Sealer } from "../crypto/sealer.ts";
import type { PersonalDataStore } from "../events/personal-data.ts";
import type { BridgeKeys } from "../redis/keys.ts";
import { readDeliveryPayload, storeDeliveryPayload, type DeliveryPayload } from "./delivery-payloads.ts";

/** The log keeps the newest deliveries up to this many, and none older than RETENTION. */
export const DELIVERY_LOG_MAX = 10_000;
/** A filtered page reads at most this many entries: the whole log, at its cap. */
export const DELIVERY_SCAN_MAX = DELIVERY_LOG_MAX;
const ERROR_MAX_CHARS = 2000;

/** One webhook delivery as the dashboard shows it. */
export interface DeliveryRecord {
  /** The stream entry id (`<ms>-<seq>`), or `event:<id>` for an accepted delivery read from its event. */
  id: string;
  at: number;
  source: string;
  /** The svix-id header: verified for accepted, redelivered and 422 deliveries, as sent for the others. */
  svixId?: string;
  /** `accepted`, `redelivered` (Svix sent an id already accepted), `rerun`, `erased` (it names an erased user: answered 200, nothing stored), or the error code answered. */
  outcome: string;
  /** The HTTP status answered. */
  status: number;
  /** Why it was refused: the template's error for a 422. */
  error?: string;
  /** The body's size and SHA-256 (hex): all that is kept of a body whose signature did not check out. */
  bytes?: number;
  sha256?: string;
  /** Whether the verified payload was kept, so the delivery can be re-run through its template. */
  rerunnable?: boolean;
  eventIds?: string[];
}

/** The entry's time is its stream id's: the log is in time order, and a page cursor is a time. */
export type NewDelivery = Omit<DeliveryRecord, "id" | "at" | "rerunnable"> & { payload?: DeliveryPayload };

export interface DeliveryFilter {
  source?: string;
  /** An outcome, an error code, or `rejected` for every refusal. */
  outcome?: string;
}

export function matchesDelivery(record: DeliveryRecord, filter: DeliveryFilter): boolean {
  if (filter.source && record.source !== filter.source) return false;
  if (!filter.outcome) return true;
  return filter.outcome === "rejected" ? record.status >= 400 : record.outcome === filter.outcome;
}

/**
 * The delivery log: a Redis stream capped by length and by age, written once per delivery that
 * was not simply accepted (a rejection, from the webhook route's error path; a redelivery, from
 * the events queue's event stream) and never on the path of an accepted webhook. Accepted
 * deliveries are their events, read from the event log (list-deliveries.ts).
 */
export function createDeliveryLog(deps: {
  redis: Redis;
  keys: Pick<BridgeKeys, "deliveries" | "deliveryPayload">;
  retentionMs: number;
  sealer?: Sealer;
}) {
  const { redis, keys } = deps;
  const ttlSeconds = Math.ceil(deps.retentionMs / 1000);

  /** One transaction: the payload (when kept), the entry, the trim by age. Answers the entry id. */
  async function record(delivery: NewDelivery): Promise<string> {
    const { payload, ...entry } = delivery;
    const payloadId = payload ? ulid() : undefined;
    const transaction = redis.multi();
    if (payload && payloadId)
      storeDeliveryPayload(transaction, keys.deliveryPayload(payloadId), payload, ttlSeconds, deps.sealer);
    transaction.xadd(keys.deliveries, "MAXLEN", "~", DELIVERY_LOG_MAX, "*", ...toFields(entry, payloadId));
    transaction.xtrim(keys.deliveries, "MINID", "~", `${Math.max(0, Date.now() - deps.retentionMs)}-0`);
    const results = (await transaction.exec()) ?? [];
    const failed = results.find(([error]) => error)?.[0];
    if (failed) throw failed;
    return String(results[payload ? 1 : 0]?.[1]);
  }

  async function get(id: string): Promise<DeliveryRecord | undefined> {
    const [row] = await redis.xrange(keys.deliveries, id, id);
    return row ? toRecord(row[0], row[1]) : undefined;
  }

  async function readPayload(id: string): Promise<DeliveryPayload | undefined> {
    const [row] = await redis.xrange(keys.deliveries, id, id);
    const payloadId = row ? fieldsOf(row[1]).get("payload") : undefined;
    return payloadId ? readDeliveryPayload(redis, keys.deliveryPayload(payloadId), deps.sealer) : undefined;
  }

  /**
   * Newest first, below `before` (a stream id), reading at most `scanMax` entries. `next` is
   * where the next page starts; absent once the log is read to its end.
   */
  async function list(query: DeliveryFilter & { limit: number; before?: string; scanMax?: number }) {
    const items: DeliveryRecord[] = [];
    const scanMax = query.scanMax ?? DELIVERY_SCAN_MAX;
    let cursor = query.before;
    let scanned = 0;
    while (items.length < query.limit && scanned < scanMax) {
      const batch = Math.min(500, scanMax - scanned);
      const rows = await redis.xrevrange(keys.deliveries, cursor ? `(${cursor}` : "+", "-", "COUNT", batch);
      for (const [id, fields] of rows) {
        cursor = id;
        scanned++;
        const record = toRecord(id, fields);
        if (matchesDelivery(record, query)) items.push(record);
        if (items.length === query.limit) break;
      }
      if (rows.length < batch && items.length < query.limit) return { items, scanned };
    }
    return { items, scanned, next: cursor };
  }

  /** The deliveries that carried these svix-ids, between two times (ms): a bounded scan, oldest first. */
  async function findBySvixIds(svixIds: readonly string[], from: number, to: number): Promise<DeliveryRecord[]> {
    const wanted = new Set(svixIds);
    const found: DeliveryRecord[] = [];
    let start = `${Math.max(0, from)}-0`;
    for (let scanned = 0; scanned < DELIVERY_SCAN_MAX;) {
      const rows = await redis.xrange(keys.deliveries, start, `${to}-18446744073709551615`, "COUNT", 500);
      for (const [id, fields] of rows) {
        const record = toRecord(id, fields);
        if (record.svixId !== undefined && wanted.has(record.svixId)) found.push(record);
      }
      scanned += rows.length;
      const last = rows.at(-1)?.[0];
      if (rows.length < 500 || !last) break;
      start = `(${last}`;
    }
    return found;
  }

  /**
   * Erasure: deletes the kept payloads that `matches` picks, with their log entries (the whole
   * log is read, at most DELIVERY_LOG_MAX entries). Answers how many went.
   */
  async function forgetPayloads(matches: (payload: DeliveryPayload) => boolean): Promise<number> {
    let forgotten = 0;
    let start = "-";
    for (;;) {
      const rows = await redis.xrange(keys.deliveries, start, "+", "COUNT", 500);
      for (const [id, fields] of rows) {
        const payloadId = fieldsOf(fields).get("payload");
        if (!payloadId) continue;
        const payload = await readDeliveryPayload(redis, keys.deliveryPayload(payloadId), deps.sealer);
        if (!payload || !matches(payload)) continue;
        await redis.multi().del(keys.deliveryPayload(payloadId)).xdel(keys.deliveries, id).exec();
        forgotten++;
      }
      const last = rows.at(-1)?.[0];
      if (rows.length < 500 || !last) return forgotten;
      start = `(${last}`;
    }
  }

  return { record, get, readPayload, list, findBySvixIds, forgetPayloads };
}

export type DeliveryLog = ReturnType<typeof createDeliveryLog>;

/** Erasure of the refused webhook payloads kept for a re-run that name the user, with their log entries. */
export const userDeliveries: PersonalDataStore<{ deliveries?: Pick<DeliveryLog, "forgetPayloads"> }> = {
  name: "deliveries",
  holds: "verified webhook payloads a template refused, kept for a re-run (sealed)",
  families: ["deliveries", "deliveryPayload"],
  async erase({ deliveries }, user) {
    return { deliveries: (await deliveries?.forgetPayloads((payload) => namesUser(payload, user.isNamedIn))) ?? 0 };
  },
};

/** Whether a kept webhook payload (`{ type, data }`, as Clerk sends it) names the user. */
function namesUser(
  payload: DeliveryPayload,
  isNamedIn: (event: { name: string; data: Record<string, unknown> }) => boolean,
): boolean {
  try {
    const body = JSON.parse(payload.body) as { type?: unknown; data?: Record<string, unknown> };
    return isNamedIn({ name: `${payload.source}/${String(body.type)}`, data: body.data ?? {} });
  } catch {
    return false;
  }
}

function toFields(entry: Omit<NewDelivery, "payload">, payloadId: string | undefined): string[] {
  const fields = ["source", entry.source, "outcome", entry.outcome, "status", String(entry.status)];
  if (entry.svixId !== undefined) fields.push("svixId", entry.svixId);
  if (entry.error !== undefined) fields.push("error", entry.error.slice(0, ERROR_MAX_CHARS));
  if (entry.bytes !== undefined) fields.push("bytes", String(entry.bytes));
  if (entry.sha256 !== undefined) fields.push("sha256", entry.sha256);
  if (entry.eventIds?.length) fields.push("events", JSON.stringify(entry.eventIds));
  if (payloadId !== undefined) fields.push("payload", payloadId);
  return fields;
}

function fieldsOf(flat: string[]): Map<string, string> {
  const fields = new Map<string, string>();
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const [name, value] = [flat[i], flat[i + 1]];
    if (name !== undefined && value !== undefined) fields.set(name, value);
  }
  return fields;
}

function toRecord(id: string, flat: string[]): DeliveryRecord {
  const fields = fieldsOf(flat);
  const optional = <T>(name: string, convert: (value: string) => T) => {
    const value = fields.get(name);
    return value === undefined ? undefined : convert(value);
  };
  const record: DeliveryRecord = {
    id,
    at: Number(id.split("-")[0]),
    source: fields.get("source") ?? "unknown",
    outcome: fields.get("outcome") ?? "unknown",
    status: Number(fields.get("status") ?? 0),
    svixId: fields.get("svixId"),
    error: fields.get("error"),
    bytes: optional("bytes", Number),
    sha256: fields.get("sha256"),
    rerunnable: fields.has("payload") || undefined,
    eventIds: optional("events", (value) => JSON.parse(value) as string[]),
  };
  return Object.fromEntries(
    Object.entries(record).filter(([, value]) => value !== undefined),
  ) as unknown as DeliveryRecord;
}
