import type { Transform, TransformContext, TransformedEvent } from "../src/transforms/transform-types.ts";

/**
 * Clerk → bridge events. Two shapes of body arrive on /webhooks/clerk, both signed by Svix:
 *
 * - Clerk's own envelope, `{ type, data, object: "event", timestamp, instance_id }`. The event is
 *   `clerk/<type>` (`clerk/user.created`) with Clerk's `data`, and `ts` is the envelope timestamp.
 * - An Inngest event, `{ name: "clerk/user.created", data, id?, ts?, user? }`, or an array of them:
 *   what the "Inngest" transformation template of Clerk's Inngest guide sends. A team moving to the
 *   bridge changes only the endpoint URL, so that template keeps running on Svix's side; refusing
 *   its bodies would make Svix retry them for a day and then drop every webhook.
 *
 * The event id is the svix-id unless the body names one, so Svix's redeliveries of one message
 * dedupe. Without a timestamp in the body, `ts` is the svix-timestamp.
 */
const transform: Transform = (payload, context) => {
  if (Array.isArray(payload)) {
    // Each event needs an id of its own that a redelivery repeats: the svix-id and its position.
    return payload.map((event, index) => fromInngestEvent(event, `${context.webhookId}-${index}`, context));
  }
  const body = (payload ?? {}) as { type?: unknown; name?: unknown };
  if (typeof body.type === "string" && body.type !== "") return fromClerkEnvelope(body, context);
  if (body.name !== undefined) return fromInngestEvent(body, context.webhookId, context);
  throw new Error("a Clerk webhook must have a string `type` (Clerk's envelope) or a `name` (an Inngest event)");
};

function fromClerkEnvelope(payload: unknown, { webhookId, webhookTimestamp }: TransformContext): TransformedEvent {
  const envelope = payload as { type: string; data?: Record<string, unknown>; timestamp?: unknown };
  return {
    id: webhookId,
    name: `clerk/${envelope.type}`,
    data: envelope.data ?? {},
    ts: toMilliseconds(envelope.timestamp) ?? webhookTimestamp * 1000,
  };
}

interface InngestEvent {
  id?: string;
  name?: unknown;
  data?: Record<string, unknown>;
  user?: Record<string, unknown>;
  ts?: unknown;
  v?: string;
}

function fromInngestEvent(value: unknown, defaultId: string, { webhookTimestamp }: TransformContext): TransformedEvent {
  const { id, name, data, user, ts, v } = (value ?? {}) as InngestEvent;
  // This route carries Clerk's events only: a name like `app/invoice.paid` arriving here would start
  // functions that trust that name to come from somewhere else.
  if (typeof name !== "string" || !name.startsWith("clerk/") || name === "clerk/") {
    throw new Error(`an Inngest event from Clerk must be named "clerk/<event type>", not ${JSON.stringify(name)}`);
  }
  return {
    id: id ?? defaultId,
    name,
    data: data ?? {},
    ts: toMilliseconds(ts) ?? webhookTimestamp * 1000,
    ...(user === undefined ? {} : { user }),
    ...(v === undefined ? {} : { v }),
  };
}

/**
 * Real deliveries carry milliseconds; the examples in Clerk's webhook spec carry seconds
 * (1716883200). Anything below 10^11 (a date in 1973 as milliseconds) must be seconds.
 */
function toMilliseconds(timestamp: unknown): number | undefined {
  if (typeof timestamp !== "number" || !Number.isFinite(timestamp) || timestamp < 0) return undefined;
  return Math.round(timestamp < 1e11 ? timestamp * 1000 : timestamp);
}

export default transform;
