import { z } from "zod";
import { compileExpression, ExpressionError } from "../engine/definition/expressions.ts";
import { BridgeError } from "../errors.ts";
import { formatIssues } from "../events/event-schema.ts";

/** A bulk action touches at most this many events or runs; a larger selection is refused at the count. */
export const BULK_MAX = 10_000;

/** Epoch milliseconds, or a date Date.parse reads (ISO 8601). */
const time = z.union([z.number().int().nonnegative(), z.string().min(1).max(64)]).transform((value, ctx) => {
  const parsed = typeof value === "number" ? value : /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (Number.isNaN(parsed)) {
    ctx.addIssue({ code: "custom", message: `"${value}" is neither epoch milliseconds nor an ISO date` });
    return z.NEVER;
  }
  return parsed;
});
const text = z.string().trim().min(1).max(256);

const requestSchema = z.discriminatedUnion("kind", [
  /** Replay every event the search finds (empty: every event), received since. */
  z.object({ kind: z.literal("replay"), q: text.optional(), since: time }).strict(),
  /** Retry every failed run of a function, created since. */
  z.object({ kind: z.literal("retry"), functionId: text, since: time }).strict(),
  /** Cancel every run of a function that has not ended, created since (or ever), whose event passes `if` (CEL over `event`). */
  z.object({ kind: z.literal("cancel"), functionId: text, since: time.optional(), if: text.optional() }).strict(),
]);

export type BulkKind = z.output<typeof requestSchema>["kind"];

/** A bulk request with its upper time bound: what was there when the operator asked, never what the action itself makes. */
export type BulkRequest = z.output<typeof requestSchema> & { until: number };

/** Parses an operator's request (400 `event_invalid` naming the field), bounded at `now`. */
export function parseBulkRequest(body: unknown, now: number): BulkRequest {
  const parsed = requestSchema.safeParse(body ?? {});
  if (!parsed.success) throw new BridgeError("event_invalid", formatIssues(parsed.error));
  const request = parsed.data;
  if (request.kind === "cancel" && request.if !== undefined) {
    try {
      compileExpression(request.if, "if");
    } catch (error) {
      throw new BridgeError("event_invalid", error instanceof ExpressionError ? error.message : String(error));
    }
  }
  return { ...request, until: now };
}

/** One line for the audit log and the page: what the action does to what. */
export function describeBulkRequest(request: BulkRequest): string {
  const since = request.since === undefined ? "" : ` since ${new Date(request.since).toISOString()}`;
  switch (request.kind) {
    case "replay":
      return `replay events${request.q ? ` matching "${request.q}"` : ""}${since}`;
    case "retry":
      return `retry failed runs of ${request.functionId}${since}`;
    case "cancel":
      return `cancel runs of ${request.functionId}${request.if ? ` where ${request.if}` : ""}${since}`;
  }
}
