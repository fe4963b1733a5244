import { z } from "zod";
import { BridgeError } from "../errors.js";
import { formatIssues } from "../events/event-schema.js";
import { matchesName } from "../search/event-search-query.js";
/** A time as epoch milliseconds or anything Date.parse understands (ISO 8601). */
const time = z
    .string()
    .transform((value, ctx) => {
    const parsed = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
    if (Number.isNaN(parsed)) {
        ctx.addIssue({ code: "custom", message: `"${value}" is neither epoch milliseconds nor an ISO date` });
        return z.NEVER;
    }
    return parsed;
})
    .optional();
/** The most rows one page of the operator API holds (the CLI checks --limit against it too). */
export const MAX_PAGE_SIZE = 200;
const limit = z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(50);
const text = z.string().trim().min(1).max(256).optional();
const eventQuerySchema = z.object({ name: text, q: text, since: time, until: time, limit, before: text });
const runQuerySchema = z.object({ status: text, function: text, event: text, eventName: text, since: time, until: time, limit, before: text });
const deliveryQuerySchema = z.object({ source: text, outcome: text, limit, before: text });
/** Query strings arrive as strings or arrays (?a=1&a=2); the first value wins. */
function firstValues(query) {
    return Object.fromEntries(Object.entries(query).map(([key, value]) => [key, Array.isArray(value) ? String(value[0]) : value === "" ? undefined : String(value)]));
}
function parse(schema, query) {
    const parsed = schema.safeParse(firstValues(query));
    if (!parsed.success)
        throw new BridgeError("body_malformed", formatIssues(parsed.error));
    return parsed.data;
}
/** `q` is a search (src/search/event-search-query.ts); `name` an exact name, as the live view filters. */
export function parseEventQuery(query) {
    const { name, q, since, until, limit: max, before } = parse(eventQuerySchema, query);
    return dropUndefined({ name, q, since, until, limit: max, before });
}
/** `event`: one event's runs, by its id; `eventName`: a name prefix or `*` pattern, as event search reads one. */
export function parseRunQuery(query) {
    const parsed = parse(runQuerySchema, query);
    const pattern = parsed.eventName;
    return dropUndefined({
        status: parsed.status,
        functionId: parsed.function,
        eventId: parsed.event,
        eventName: pattern === undefined ? undefined : (name) => matchesName(name, pattern.includes("*") ? { pattern } : { term: pattern }),
        since: parsed.since,
        until: parsed.until,
        limit: parsed.limit,
        before: parsed.before,
    });
}
export function parseDeliveryQuery(query) {
    return dropUndefined(parse(deliveryQuerySchema, query));
}
export function parseLimit(query) {
    return parse(z.object({ limit }), query).limit;
}
function dropUndefined(value) {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}
const auditQuerySchema = z.object({
    limit,
    before: z.string().regex(/^\d{1,20}-\d{1,20}$/, "before must be the `next` of the previous page").optional(),
});
export function parseAuditQuery(query) {
    return dropUndefined(parse(auditQuerySchema, query));
}
