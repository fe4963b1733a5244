import { z } from "zod";
import { BridgeError } from "../errors.ts";
import { formatIssues } from "../events/event-schema.ts";
import { deliveryCursor, indexCursor, streamCursor } from "./page-cursors.ts";
import { matchesName } from "../search/event-search-query.ts";
import type { DeliveryQuery } from "../deliveries/list-deliveries.ts";
import type { EventQuery, OperatorRunQuery } from "./operator-deps.ts";

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

const eventQuerySchema = z.object({ name: text, q: text, since: time, until: time, limit, before: indexCursor });
const runQuerySchema = z.object({
  status: text,
  function: text,
  event: text,
  eventName: text,
  since: time,
  until: time,
  limit,
  before: indexCursor,
});
const deliveryQuerySchema = z.object({ source: text, outcome: text, limit, before: deliveryCursor });

/** Query strings arrive as strings or arrays (?a=1&a=2); the first value wins. */
function firstValues(query: Record<string, unknown>): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.entries(query).map(([key, value]) => [
      key,
      Array.isArray(value) ? String(value[0]) : value === "" ? undefined : String(value),
    ]),
  );
}

function parse<T>(schema: z.ZodType<T>, query: Record<string, unknown>): T {
  const parsed = schema.safeParse(firstValues(query));
  if (parsed.success) return parsed.data;
  // A cursor of the wrong form has its own code: the client should start from the first page.
  const cursor = parsed.error.issues.find((issue) => issue.path[0] === "before");
  if (cursor) throw new BridgeError("cursor_invalid", cursor.message);
  throw new BridgeError("body_malformed", formatIssues(parsed.error));
}

/** `q` is a search (src/search/event-search-query.ts); `name` an exact name, as the live view filters. */
export function parseEventQuery(query: Record<string, unknown>): EventQuery & { q?: string } {
  const { name, q, since, until, limit: max, before } = parse(eventQuerySchema, query);
  return dropUndefined({ name, q, since, until, limit: max, before });
}

/** `event`: one event's runs, by its id; `eventName`: a name prefix or `*` pattern, as event search reads one. */
export function parseRunQuery(query: Record<string, unknown>): OperatorRunQuery {
  const parsed = parse(runQuerySchema, query);
  const pattern = parsed.eventName;
  return dropUndefined({
    status: parsed.status,
    functionId: parsed.function,
    eventId: parsed.event,
    eventName:
      pattern === undefined
        ? undefined
        : (name: string) => matchesName(name, pattern.includes("*") ? { pattern } : { term: pattern }),
    since: parsed.since,
    until: parsed.until,
    limit: parsed.limit,
    before: parsed.before,
  });
}

export function parseDeliveryQuery(query: Record<string, unknown>): DeliveryQuery {
  return dropUndefined(parse(deliveryQuerySchema, query));
}

export function parseLimit(query: Record<string, unknown>): number {
  return parse(z.object({ limit }), query).limit;
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

const auditQuerySchema = z.object({ limit, before: streamCursor });

export function parseAuditQuery(query: Record<string, unknown>): { limit: number; before?: string } {
  return dropUndefined(parse(auditQuerySchema, query));
}
