import { z } from "zod";
import { BridgeError } from "../errors.ts";
import { formatIssues } from "../events/event-schema.ts";
import type { EventQuery, RunQuery } from "./operator-deps.ts";

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

const eventQuerySchema = z.object({ name: text, since: time, until: time, limit, before: text });
const runQuerySchema = z.object({ status: text, function: text, limit, before: text });

/** Query strings arrive as strings or arrays (?a=1&a=2); the first value wins. */
function firstValues(query: Record<string, unknown>): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.entries(query).map(([key, value]) => [key, Array.isArray(value) ? String(value[0]) : value === "" ? undefined : String(value)]),
  );
}

function parse<T>(schema: z.ZodType<T>, query: Record<string, unknown>): T {
  const parsed = schema.safeParse(firstValues(query));
  if (!parsed.success) throw new BridgeError("body_malformed", formatIssues(parsed.error));
  return parsed.data;
}

export function parseEventQuery(query: Record<string, unknown>): EventQuery {
  const { name, since, until, limit: max, before } = parse(eventQuerySchema, query);
  return dropUndefined({ name, since, until, limit: max, before });
}

export function parseRunQuery(query: Record<string, unknown>): RunQuery {
  const parsed = parse(runQuerySchema, query);
  return dropUndefined({ status: parsed.status, functionId: parsed.function, limit: parsed.limit, before: parsed.before });
}

export function parseLimit(query: Record<string, unknown>): number {
  return parse(z.object({ limit }), query).limit;
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

const auditQuerySchema = z.object({
  limit,
  before: z.string().regex(/^\d{1,20}-\d{1,20}$/, "before must be the `next` of the previous page").optional(),
});

export function parseAuditQuery(query: Record<string, unknown>): { limit: number; before?: string } {
  return dropUndefined(parse(auditQuerySchema, query));
}
