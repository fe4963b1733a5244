import type { Transform, TransformContext, TransformResult, TransformedEvent } from "./transform-types.ts";
import { fieldsOf, isJsonObject } from "../util/json-object.ts";

/**
 * Svix's transformation format, as an endpoint's Transformations card in Svix's dashboard holds
 * it: `function handler(webhook) { ...; return webhook }` (https://docs.svix.com/transformations).
 * A transformation an operator already runs in Svix can be dropped into transforms/ as it is;
 * this turns the webhook its handler returns into the bridge's events.
 *
 * The bridge is the endpoint, so there is nowhere else to send the webhook: changes to `method`,
 * `url` and `headers` are ignored, and so are changes to `eventType`, as Svix ignores them.
 * `env` and `transformationsParams` do not exist here (there is no Svix endpoint to hold
 * variables): a handler that reads them fails, rather than running on `undefined` values.
 */
export interface SvixWebhook {
  method: "POST";
  url: string;
  eventType: string;
  payload: unknown;
  headers: Record<string, string>;
  cancel: boolean;
}

/** Calls the operator's handler; returns the webhook it returned as JSON data, what Svix would send. */
export type SvixHandlerCall = (webhook: SvixWebhook) => unknown;

const EVENT_KEYS = new Set(["id", "name", "data", "user", "ts", "v"]);

/**
 * The handler receives `{ method: "POST", url: "", eventType, payload, headers: {}, cancel: false }`
 * with `eventType` the payload's `type` (Clerk's event type). What it returns becomes:
 *
 * - `cancel: true`: nothing; the delivery is answered 200 and dropped, as Svix reports a cancelled
 *   message as delivered.
 * - a payload shaped as an Inngest event `{ name, data, id?, ts?, user?, v? }` (no other keys), or
 *   an array of them: those events, as they are. This is what Clerk's Inngest template makes.
 * - any other JSON object: one event named `<source>/<eventType>`, whose data is the payload's
 *   `data` when that is an object (Clerk's envelope, edited or not; its other fields are dropped as
 *   for any Clerk delivery), or else the whole payload (a reshaped body).
 *
 * An event's id is the svix-id (with `-<index>` for several) unless it names one; its `ts` is its
 * own `ts`, else the `timestamp` of the payload as received, else the svix-timestamp.
 */
export function adaptSvixHandler(call: SvixHandlerCall): Transform {
  return (payload, context) => {
    const received = fieldsOf(payload);
    const eventType = typeof received.type === "string" ? received.type : "";
    // Read before the call: the handler may edit the payload it is given.
    const ts = toMilliseconds(received.timestamp) ?? context.webhookTimestamp * 1000;
    const returned = call({ method: "POST", url: "", eventType, payload, headers: {}, cancel: false });
    const finish = (webhook: unknown) => eventsFromWebhook(webhook, eventType, ts, context);
    return returned instanceof Promise ? returned.then(finish) : finish(returned);
  };
}

/** A handler exported by an ES module; it may be async, since the bridge's own templates may be. */
export function callModuleHandler(handler: (webhook: SvixWebhook) => unknown): SvixHandlerCall {
  return (webhook) => {
    const returned = handler(webhook);
    return isThenable(returned) ? Promise.resolve(returned).then(toJsonData) : toJsonData(returned);
  };
}

function eventsFromWebhook(
  webhook: unknown,
  eventType: string,
  ts: number,
  context: TransformContext,
): TransformResult {
  if (!isJsonObject(webhook))
    throw new Error(`handler(webhook) must return the webhook it was given, not ${describe(webhook)}`);
  if (webhook.cancel === true) return null;
  if (!("payload" in webhook))
    throw new Error("handler(webhook) returned an object without a payload: return the webhook it was given");
  const { payload } = webhook;
  const { source, webhookId } = context;
  if (isInngestEvent(payload)) return fromInngestEvent(payload, webhookId, ts);
  if (Array.isArray(payload) && payload.length > 0 && payload.every(isInngestEvent)) {
    return payload.map((event, index) => fromInngestEvent(event, `${webhookId}-${index}`, ts));
  }
  if (!isJsonObject(payload)) {
    throw new Error("the returned webhook.payload must be a JSON object, or Inngest events { name, data }");
  }
  if (eventType === "") {
    throw new Error("the payload has no `type` to name the event after: return webhook.payload = { name, data }");
  }
  return {
    id: webhookId,
    name: `${source}/${eventType}`,
    data: isJsonObject(payload.data) ? payload.data : payload,
    ts,
  };
}

function fromInngestEvent(event: Record<string, unknown>, defaultId: string, ts: number): TransformedEvent {
  return {
    ...(event as TransformedEvent),
    id: (event.id as string | undefined) ?? defaultId,
    ts: toMilliseconds(event.ts) ?? ts,
  };
}

function isInngestEvent(value: unknown): value is Record<string, unknown> {
  return (
    isJsonObject(value) &&
    typeof value.name === "string" &&
    isJsonObject(value.data) &&
    Object.keys(value).every((key) => EVENT_KEYS.has(key))
  );
}

function describe(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "an array" : typeof value;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === "object" || typeof value === "function") &&
    value !== null &&
    "then" in value &&
    typeof value.then === "function"
  );
}

/**
 * Svix sends the payload as JSON, so the bridge takes what JSON keeps: a Date becomes its ISO
 * string, `undefined` and functions disappear.
 */
function toJsonData(value: unknown): unknown {
  const text = JSON.stringify(value);
  return text === undefined ? undefined : JSON.parse(text);
}

/** Clerk's real deliveries carry milliseconds, its spec examples seconds (below 10^11). */
function toMilliseconds(timestamp: unknown): number | undefined {
  if (typeof timestamp !== "number" || !Number.isFinite(timestamp) || timestamp < 0) return undefined;
  return Math.round(timestamp < 1e11 ? timestamp * 1000 : timestamp);
}
