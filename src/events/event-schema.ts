import { z } from "zod";

/**
 * A plain JSON object, checked without copying it: z.record() would walk and rebuild every key
 * of a Clerk user on the hot path, only to return an equal object.
 */
const jsonObject = z.custom<Record<string, unknown>>(
  (value) => typeof value === "object" && value !== null && !Array.isArray(value),
  "expected an object",
);

/**
 * How far ahead `ts` may be. A future `ts` delays the event's runs until then, so without a bound
 * a `ts` of 2^53 would leave them queued for ever.
 */
export const MAX_TS_AHEAD_MS = 365 * 24 * 60 * 60 * 1000;

/**
 * The longest event name accepted, Inngest's own limit (256 characters, "Usage limits" in its
 * docs). Names are matched against search patterns and kept in the names index, so their length
 * bounds that work too.
 */
export const MAX_EVENT_NAME_LENGTH = 256;
export const NAME_TOO_LONG = `name must be at most ${MAX_EVENT_NAME_LENGTH} characters (Inngest's limit)`;

/**
 * An event as a sender (a transform template or an Event API client) hands it to the bridge.
 * The same shape as the Inngest SDK's `EventPayload`, so `inngest.send()` works unchanged.
 */
export const incomingEventSchema = z.object({
  id: z.string().min(1).max(512).optional(),
  name: z.string().trim().min(1, "name must be a non-empty string").max(MAX_EVENT_NAME_LENGTH, NAME_TOO_LONG),
  data: jsonObject.default({}),
  user: jsonObject.optional(),
  ts: z
    .number()
    .int()
    .nonnegative()
    .refine((ts) => ts <= Date.now() + MAX_TS_AHEAD_MS, "ts (milliseconds) must be at most a year from now")
    .optional(),
  v: z.string().max(64).optional(),
});

/** An event as the bridge stores and routes it: every field settled. */
export interface BridgeEvent {
  id: string;
  name: string;
  data: Record<string, unknown>;
  user?: Record<string, unknown>;
  /** When the event happened (ms); a future value delays its runs until then. */
  ts: number;
  v?: string;
  /** When the bridge accepted it (ms). */
  receivedAt: number;
  /** Where it came from: a webhook source name, "api", or "system". */
  source: string;
  /** On a replay (a new event made by an operator): the id of the event it repeats. */
  replayOf?: string;
}

/** The fields an event is sent with to an Event API (`POST /e/:key`): its own id, so a resend stores it once. */
export type EventApiPayload = Pick<BridgeEvent, "id" | "name" | "data" | "ts" | "user" | "v">;

/** An event as another bridge's Event API takes it: what it stored, without what this bridge added. */
export function toEventApiPayload(event: EventApiPayload): EventApiPayload {
  return {
    id: event.id,
    name: event.name,
    data: event.data,
    ts: event.ts,
    ...(event.user ? { user: event.user } : {}),
    ...(event.v ? { v: event.v } : {}),
  };
}

export function formatIssues(error: z.ZodError, prefix = ""): string {
  return error.issues
    .map((issue) => `${prefix}${issue.path.length > 0 ? issue.path.join(".") + ": " : ""}${issue.message}`)
    .join("; ");
}

/** The most events one Event API request (or one `inngest.send()`) may carry. */
export const MAX_EVENTS_PER_SEND = 1000;

/**
 * One event or an array of them, as the Event API and the operator API take them. Checked with
 * the schema that fits the shape (not a union, whose error would read "Invalid input"), so an
 * error names the field: `data: expected an object`, `[1].name: ...`.
 */
export function parseIncomingEvents(
  body: unknown,
  maxEvents: number,
): { events?: z.output<typeof incomingEventSchema>[]; error?: string } {
  if (Array.isArray(body)) {
    if (body.length === 0) return { error: "expected at least one event" };
    if (body.length > maxEvents) return { error: `at most ${maxEvents} events at once, got ${body.length}` };
    const parsed = z.array(incomingEventSchema).safeParse(body);
    return parsed.success ? { events: parsed.data } : { error: formatIssues(parsed.error) };
  }
  if (typeof body !== "object" || body === null) return { error: "expected an event object or an array of events" };
  const parsed = incomingEventSchema.safeParse(body);
  return parsed.success ? { events: [parsed.data] } : { error: formatIssues(parsed.error) };
}
