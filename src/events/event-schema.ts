import { z } from "zod";

/**
 * A plain JSON object, checked without copying it: z.record() would walk and rebuild every key
 * of a Clerk user on the hot path, only to return an equal object.
 */
const jsonObject = z.custom<Record<string, unknown>>(
  (value) => typeof value === "object" && value !== null && !Array.isArray(value),
  "must be an object",
);

/**
 * An event as a sender (a transform template or an Event API client) hands it to the bridge.
 * The same shape as the Inngest SDK's `EventPayload`, so `inngest.send()` works unchanged.
 */
export const incomingEventSchema = z.object({
  id: z.string().min(1).max(512).optional(),
  name: z.string().trim().min(1, "name must be a non-empty string").max(256),
  data: jsonObject.default({}),
  user: jsonObject.optional(),
  ts: z.number().int().nonnegative().optional(),
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

export function formatIssues(error: z.ZodError, prefix = ""): string {
  return error.issues
    .map((issue) => `${prefix}${issue.path.length > 0 ? issue.path.join(".") + ": " : ""}${issue.message}`)
    .join("; ");
}
