import { ulid } from "ulid";
import { readDeliveryPayload, storeDeliveryPayload } from "./delivery-payloads.js";
const DELIVERY_LOG_MAX = 1e4;
const DELIVERY_SCAN_MAX = DELIVERY_LOG_MAX;
const ERROR_MAX_CHARS = 2e3;
function matchesDelivery(record, filter) {
  if (filter.source && record.source !== filter.source) return false;
  if (!filter.outcome) return true;
  return filter.outcome === "rejected" ? record.status >= 400 : record.outcome === filter.outcome;
}
function createDeliveryLog(deps) {
  const { redis, keys } = deps;
  const ttlSeconds = Math.ceil(deps.retentionMs / 1e3);
  async function record(delivery) {
    const { payload, ...entry } = delivery;
    const payloadId = payload ? ulid() : void 0;
    const transaction = redis.multi();
    if (payload && payloadId) storeDeliveryPayload(transaction, keys.deliveryPayload(payloadId), payload, ttlSeconds, deps.sealer);
    transaction.xadd(keys.deliveries, "MAXLEN", "~", DELIVERY_LOG_MAX, "*", ...toFields(entry, payloadId));
    transaction.xtrim(keys.deliveries, "MINID", "~", `${Math.max(0, Date.now() - deps.retentionMs)}-0`);
    const results = await transaction.exec() ?? [];
    const failed = results.find(([error]) => error)?.[0];
    if (failed) throw failed;
    return String(results[payload ? 1 : 0]?.[1]);
  }
  async function get(id) {
    const [row] = await redis.xrange(keys.deliveries, id, id);
    return row ? toRecord(row[0], row[1]) : void 0;
  }
  async function readPayload(id) {
    const [row] = await redis.xrange(keys.deliveries, id, id);
    const payloadId = row ? fieldsOf(row[1]).get("payload") : void 0;
    return payloadId ? readDeliveryPayload(redis, keys.deliveryPayload(payloadId), deps.sealer) : void 0;
  }
  async function list(query) {
    const items = [];
    const scanMax = query.scanMax ?? DELIVERY_SCAN_MAX;
    let cursor = query.before;
    let scanned = 0;
    while (items.length < query.limit && scanned < scanMax) {
      const batch = Math.min(500, scanMax - scanned);
      const rows = await redis.xrevrange(keys.deliveries, cursor ? `(${cursor}` : "+", "-", "COUNT", batch);
      for (const [id, fields] of rows) {
        cursor = id;
        scanned++;
        const record2 = toRecord(id, fields);
        if (matchesDelivery(record2, query)) items.push(record2);
        if (items.length === query.limit) break;
      }
      if (rows.length < batch && items.length < query.limit) return { items, scanned };
    }
    return { items, scanned, next: cursor };
  }
  async function findBySvixIds(svixIds, from, to) {
    const wanted = new Set(svixIds);
    const found = [];
    let start = `${Math.max(0, from)}-0`;
    for (let scanned = 0; scanned < DELIVERY_SCAN_MAX; ) {
      const rows = await redis.xrange(keys.deliveries, start, `${to}-18446744073709551615`, "COUNT", 500);
      for (const [id, fields] of rows) {
        const record2 = toRecord(id, fields);
        if (record2.svixId !== void 0 && wanted.has(record2.svixId)) found.push(record2);
      }
      scanned += rows.length;
      const last = rows.at(-1)?.[0];
      if (rows.length < 500 || !last) break;
      start = `(${last}`;
    }
    return found;
  }
  async function forgetPayloads(matches) {
    let forgotten = 0;
    let start = "-";
    for (; ; ) {
      const rows = await redis.xrange(keys.deliveries, start, "+", "COUNT", 500);
      for (const [id, fields] of rows) {
        const payloadId = fieldsOf(fields).get("payload");
        const payload = payloadId ? await readDeliveryPayload(redis, keys.deliveryPayload(payloadId), deps.sealer) : void 0;
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
function toFields(entry, payloadId) {
  const fields = ["source", entry.source, "outcome", entry.outcome, "status", String(entry.status)];
  if (entry.svixId !== void 0) fields.push("svixId", entry.svixId);
  if (entry.error !== void 0) fields.push("error", entry.error.slice(0, ERROR_MAX_CHARS));
  if (entry.bytes !== void 0) fields.push("bytes", String(entry.bytes));
  if (entry.sha256 !== void 0) fields.push("sha256", entry.sha256);
  if (entry.eventIds?.length) fields.push("events", JSON.stringify(entry.eventIds));
  if (payloadId !== void 0) fields.push("payload", payloadId);
  return fields;
}
function fieldsOf(flat) {
  const fields = /* @__PURE__ */ new Map();
  for (let i = 0; i + 1 < flat.length; i += 2) fields.set(flat[i], flat[i + 1]);
  return fields;
}
function toRecord(id, flat) {
  const fields = fieldsOf(flat);
  const optional = (name, convert) => fields.has(name) ? convert(fields.get(name)) : void 0;
  const record = {
    id,
    at: Number(id.split("-")[0]),
    source: fields.get("source") ?? "unknown",
    outcome: fields.get("outcome") ?? "unknown",
    status: Number(fields.get("status") ?? 0),
    svixId: fields.get("svixId"),
    error: fields.get("error"),
    bytes: optional("bytes", Number),
    sha256: fields.get("sha256"),
    rerunnable: fields.has("payload") || void 0,
    eventIds: optional("events", (value) => JSON.parse(value))
  };
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== void 0));
}
export {
  DELIVERY_LOG_MAX,
  DELIVERY_SCAN_MAX,
  createDeliveryLog,
  matchesDelivery
};
