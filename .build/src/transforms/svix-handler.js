const EVENT_KEYS = /* @__PURE__ */ new Set(["id", "name", "data", "user", "ts", "v"]);
function adaptSvixHandler(call) {
  return (payload, context) => {
    const received = payload;
    const eventType = typeof received?.type === "string" ? received.type : "";
    const ts = toMilliseconds(received?.timestamp) ?? context.webhookTimestamp * 1e3;
    const returned = call({ method: "POST", url: "", eventType, payload, headers: {}, cancel: false });
    const finish = (webhook) => eventsFromWebhook(webhook, eventType, ts, context);
    return returned instanceof Promise ? returned.then(finish) : finish(returned);
  };
}
function callModuleHandler(handler) {
  return (webhook) => {
    const returned = handler(webhook);
    return isThenable(returned) ? Promise.resolve(returned).then(toJsonData) : toJsonData(returned);
  };
}
function eventsFromWebhook(webhook, eventType, ts, context) {
  if (!isObject(webhook)) throw new Error(`handler(webhook) must return the webhook it was given, not ${describe(webhook)}`);
  if (webhook.cancel === true) return null;
  if (!("payload" in webhook)) throw new Error("handler(webhook) returned an object without a payload: return the webhook it was given");
  const { payload } = webhook;
  const { source, webhookId } = context;
  if (isInngestEvent(payload)) return fromInngestEvent(payload, webhookId, ts);
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
function toJsonData(value) {
  const text = JSON.stringify(value);
  return text === void 0 ? void 0 : JSON.parse(text);
}
function toMilliseconds(timestamp) {
  if (typeof timestamp !== "number" || !Number.isFinite(timestamp) || timestamp < 0) return void 0;
  return Math.round(timestamp < 1e11 ? timestamp * 1e3 : timestamp);
}
export {
  adaptSvixHandler,
  callModuleHandler
};
