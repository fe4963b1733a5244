import { z } from "zod";
import { compileExpression, ExpressionError } from "../engine/expressions.js";
import { BridgeError } from "../errors.js";
import { formatIssues } from "../events/event-schema.js";
const BULK_MAX = 1e4;
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
  z.object({ kind: z.literal("cancel"), functionId: text, since: time.optional(), if: text.optional() }).strict()
]);
function parseBulkRequest(body, now) {
  const parsed = requestSchema.safeParse(body ?? {});
  if (!parsed.success) throw new BridgeError("event_invalid", formatIssues(parsed.error));
  const request = parsed.data;
  if (request.kind === "cancel" && request.if !== void 0) {
    try {
      compileExpression(request.if, "if");
    } catch (error) {
      throw new BridgeError("event_invalid", error instanceof ExpressionError ? error.message : String(error));
    }
  }
  return { ...request, until: now };
}
function describeBulkRequest(request) {
  const since = request.since === void 0 ? "" : ` since ${new Date(request.since).toISOString()}`;
  switch (request.kind) {
    case "replay":
      return `replay events${request.q ? ` matching "${request.q}"` : ""}${since}`;
    case "retry":
      return `retry failed runs of ${request.functionId}${since}`;
    case "cancel":
      return `cancel runs of ${request.functionId}${request.if ? ` where ${request.if}` : ""}${since}`;
  }
}
export {
  BULK_MAX,
  describeBulkRequest,
  parseBulkRequest
};
