import type { Transform } from "../src/transforms/transform-types.ts";

/**
 * Clerk → bridge event. Clerk's envelope is `{ type, data, object: "event", timestamp, instance_id }`.
 * The event name is `clerk/<type>` (`clerk/user.created`), the event id is the svix-id (so Svix's
 * redeliveries of one message dedupe), and `ts` is the envelope timestamp.
 */
const transform: Transform = (payload, { webhookId, webhookTimestamp }) => {
  const envelope = payload as { type?: unknown; data?: unknown; timestamp?: unknown };
  if (typeof envelope?.type !== "string" || envelope.type === "") {
    throw new Error("a Clerk webhook must have a string `type`");
  }
  return {
    id: webhookId,
    name: `clerk/${envelope.type}`,
    data: (envelope.data ?? {}) as Record<string, unknown>,
    ts: toMilliseconds(envelope.timestamp) ?? webhookTimestamp * 1000,
  };
};

/**
 * Real deliveries carry milliseconds; the examples in Clerk's webhook spec carry seconds
 * (1716883200). Anything below 10^11 (a date in 1973 as milliseconds) must be seconds.
 */
function toMilliseconds(timestamp: unknown): number | undefined {
  if (typeof timestamp !== "number" || !Number.isFinite(timestamp) || timestamp < 0) return undefined;
  return Math.round(timestamp < 1e11 ? timestamp * 1000 : timestamp);
}

export default transform;
