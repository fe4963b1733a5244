import { z } from "zod";
const jsonObject = z.custom(
  (value) => typeof value === "object" && value !== null && !Array.isArray(value),
  "expected an object"
);
const MAX_TS_AHEAD_MS = 365 * 24 * 60 * 60 * 1e3;
const incomingEventSchema = z.object({
  id: z.string().min(1).max(512).optional(),
  name: z.string().trim().min(1, "name must be a non-empty string").max(256),
  data: jsonObject.default({}),
  user: jsonObject.optional(),
  ts: z.number().int().nonnegative().refine((ts) => ts <= Date.now() + MAX_TS_AHEAD_MS, "ts (milliseconds) must be at most a year from now").optional(),
  v: z.string().max(64).optional()
});
function formatIssues(error, prefix = "") {
  return error.issues.map((issue) => `${prefix}${issue.path.length > 0 ? issue.path.join(".") + ": " : ""}${issue.message}`).join("; ");
}
const MAX_EVENTS_PER_SEND = 1e3;
function parseIncomingEvents(body, maxEvents) {
  if (Array.isArray(body)) {
    if (body.length === 0) return { error: "expected at least one event" };
    if (body.length > maxEvents) return { error: `at most ${maxEvents} events at once, got ${body.length}` };
    const parsed2 = z.array(incomingEventSchema).safeParse(body);
    return parsed2.success ? { events: parsed2.data } : { error: formatIssues(parsed2.error) };
  }
  if (typeof body !== "object" || body === null) return { error: "expected an event object or an array of events" };
  const parsed = incomingEventSchema.safeParse(body);
  return parsed.success ? { events: [parsed.data] } : { error: formatIssues(parsed.error) };
}
export {
  MAX_EVENTS_PER_SEND,
  MAX_TS_AHEAD_MS,
  formatIssues,
  incomingEventSchema,
  parseIncomingEvents
};
