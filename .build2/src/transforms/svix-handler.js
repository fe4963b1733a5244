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
export function adaptSvixHandler(call) {
    return (payload, context) => {
        const received = payload;
        const eventType = typeof received?.type === "string" ? received.type : "";
        // Read before the call: the handler may edit the payload it is given.
        const ts = toMilliseconds(received?.timestamp) ?? context.webhookTimestamp * 1000;
        const returned = call({ method: "POST", url: "", eventType, payload, headers: {}, cancel: false });
        const finish = (webhook) => eventsFromWebhook(webhook, eventType, ts, context);
        return returned instanceof Promise ? returned.then(finish) : finish(returned);
    };
}
/** A handler exported by an ES module; it may be async, since the bridge's own templates may be. */
export function callModuleHandler(handler) {
    return (webhook) => {
        const returned = handler(webhook);
        return isThenable(returned) ? Promise.resolve(returned).then(toJsonData) : toJsonData(returned);
    };
}
function eventsFromWebhook(webhook, eventType, ts, context) {
    if (!isObject(webhook))
        throw new Error(`handler(webhook) must return the webhook it was given, not ${describe(webhook)}`);
    if (webhook.cancel === true)
        return null;
    if (!("payload" in webhook))
        throw new Error("handler(webhook) returned an object without a payload: return the webhook it was given");
    const { payload } = webhook;
    const { source, webhookId } = context;
    if (isInngestEvent(payload))
        return fromInngestEvent(payload, webhookId, ts);
    if (Array.isArray(payload) && payload.length > 0 && payload.every(isInngestEvent)) {
        return payload.map((event, index) => fromInngestEvent(event, `${webhookId}-${index}`, ts));
    }
    if (!isObject(payload)) {
        throw new Error("the returned webhook.payload must be a JSON object, or Inngest events { name, data }");
    }
    if (eventType === "") {
        throw new Error("the payload has no `type` to name the event after: return webhook.payload = { name, data }");
    }
    return { id: webhookId, name: `${source}/${eventType}`, data: isObject(payload.data) ? payload.data : payload, ts };
}
function fromInngestEvent(event, defaultId, ts) {
    return { ...event, id: event.id ?? defaultId, ts: toMilliseconds(event.ts) ?? ts };
}
function isInngestEvent(value) {
    return isObject(value) && typeof value.name === "string" && isObject(value.data) && Object.keys(value).every((key) => EVENT_KEYS.has(key));
}
function isObject(value) {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
function describe(value) {
    return value === null ? "null" : Array.isArray(value) ? "an array" : typeof value;
}
function isThenable(value) {
    return typeof value?.then === "function";
}
/**
 * Svix sends the payload as JSON, so the bridge takes what JSON keeps: a Date becomes its ISO
 * string, `undefined` and functions disappear.
 */
function toJsonData(value) {
    const text = JSON.stringify(value);
    return text === undefined ? undefined : JSON.parse(text);
}
/** Clerk's real deliveries carry milliseconds, its spec examples seconds (below 10^11). */
function toMilliseconds(timestamp) {
    if (typeof timestamp !== "number" || !Number.isFinite(timestamp) || timestamp < 0)
        return undefined;
    return Math.round(timestamp < 1e11 ? timestamp * 1000 : timestamp);
}
