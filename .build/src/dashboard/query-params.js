import { z } from "zod";
import { BridgeError } from "../errors.js";
import { formatIssues } from "../events/event-schema.js";
import { matchesName } from "../search/event-search-query.js";
const time = z.string().transform((value, ctx) => {
  const parsed = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (Number.isNaN(parsed)) {
    ctx.addIssue({ code: "custom", message: `"${value}" is neither epoch milliseconds nor an ISO date` });
    return z.NEVER;
  }
  return parsed;
}).optional();
const MAX_PAGE_SIZE = 200;
const limit = z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(50);
const text = z.string().trim().min(1).max(256).optional();
const eventQuerySchema = z.object({ name: text, q: text, since: time, until: time, limit, before: text });
const runQuerySchema = z.object({ status: text, function: text, event: text, eventName: text, since: time, until: time, limit, before: text });
const deliveryQuerySchema = z.object({ source: text, outcome: text, limit, before: text });
function firstValues(query) {
  return Object.fromEntries(
    Object.entries(query).map(([key, value]) => [key, Array.isArray(value) ? String(value[0]) : value === "" ? void 0 : String(value)])
  );
}
function parse(schema, query) {
  const parsed = schema.safeParse(firstValues(query));
  if (!parsed.success) throw new BridgeError("body_malformed", formatIssues(parsed.error));
  return parsed.data;
}
function parseEventQuery(query) {
  const { name, q, since, until, limit: max, before } = parse(eventQuerySchema, query);
  return dropUndefined({ name, q, since, until, limit: max, before });
}
function parseRunQuery(query) {
  const parsed = parse(runQuerySchema, query);
  const pattern = parsed.eventName;
  return dropUndefined({
    status: parsed.status,
    functionId: parsed.function,
    eventId: parsed.event,
    eventName: pattern === void 0 ? void 0 : (name) => matchesName(name, pattern.includes("*") ? { pattern } : { term: pattern }),
    since: parsed.since,
    until: parsed.until,
    limit: parsed.limit,
    before: parsed.before
  });
}
function parseDeliveryQuery(query) {
  return dropUndefined(parse(deliveryQuerySchema, query));
}
function parseLimit(query) {
  return parse(z.object({ limit }), query).limit;
}
function dropUndefined(value) {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== void 0));
}
const auditQuerySchema = z.object({
  limit,
  before: z.string().regex(/^\d{1,20}-\d{1,20}$/, "before must be the `next` of the previous page").optional()
});
function parseAuditQuery(query) {
  return dropUndefined(parse(auditQuerySchema, query));
}
export {
  MAX_PAGE_SIZE,
  parseAuditQuery,
  parseDeliveryQuery,
  parseEventQuery,
  parseLimit,
  parseRunQuery
};
