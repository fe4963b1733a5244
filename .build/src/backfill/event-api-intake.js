import { BackfillError } from "./backfill-error.js";
import { withRetries } from "./with-retries.js";
class EventApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
  status;
  code;
  name = "EventApiError";
}
function createEventApiIntake(options) {
  const maxBatch = options.maxBatch ?? 100;
  const maxBytes = options.maxBytes ?? 512 * 1024;
  const url = `${options.baseUrl}/e/${encodeURIComponent(options.eventKey)}`;
  const post = async (events) => {
    let response;
    try {
      response = await options.fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(events) });
    } catch (error) {
      const cause = error.cause?.code ?? error.message;
      throw new EventApiError(0, "unreachable", `cannot reach the bridge at ${options.baseUrl} (${cause})`);
    }
    const text = await response.text();
    const body = parseJson(text);
    if (!response.ok) throw new EventApiError(response.status, body?.error?.code ?? "", body?.error?.message ?? text.slice(0, 200));
    if (!Array.isArray(body?.ids) || body.ids.length !== events.length) {
      throw new BackfillError(`the bridge at ${options.baseUrl} answered ${response.status} without the ids of the events sent: is BRIDGE_URL a bridge?`);
    }
  };
  const sendBatch = async (events) => {
    try {
      await withRetries(() => post(events), classifyEventApiError, options.retry);
    } catch (error) {
      if (!(error instanceof EventApiError && error.status === 413)) throw error;
      if (events.length === 1) throw new BackfillError(`event ${events[0]?.id} is larger than the bridge's MAX_BODY_BYTES (413): raise MAX_BODY_BYTES on the bridge`);
      const half = Math.ceil(events.length / 2);
      await sendBatch(events.slice(0, half));
      await sendBatch(events.slice(half));
    }
  };
  return {
    target: `the Event API at ${options.baseUrl}`,
    async check() {
      try {
        const response = await options.fetch(`${options.baseUrl}/healthz`);
        if (response.ok) return;
        throw new Error(`GET /healthz answered ${response.status}`);
      } catch (error) {
        const cause = error.cause?.code ?? error.message;
        throw new BackfillError(`cannot reach the bridge at ${options.baseUrl} (${cause}); is it running? set BRIDGE_URL otherwise, or backfill with --direct`);
      }
    },
    async send(events) {
      for (const batch of batches(events, maxBatch, maxBytes)) await sendBatch(batch);
    },
    async close() {
    }
  };
}
function classifyEventApiError(error) {
  if (!(error instanceof EventApiError)) return { kind: "fail", error };
  const { status, code, message } = error;
  if (status === 0 || status >= 500) return { kind: "backoff", reason: status === 0 ? message : `the bridge answered ${status} ${code}: ${message}` };
  if (status === 413) return { kind: "fail", error };
  if (code === "event_name_reserved") {
    return {
      kind: "fail",
      error: new BackfillError("the bridge refuses clerk/* events from this EVENT_KEY (403 event_name_reserved): add the key to TRUSTED_EVENT_KEYS on the bridge, or backfill with --direct")
    };
  }
  if (status === 401) {
    return { kind: "fail", error: new BackfillError(`the bridge does not accept EVENT_KEY (401 ${code}): set EVENT_KEY to one of the bridge's EVENT_KEYS that is also in TRUSTED_EVENT_KEYS`) };
  }
  return { kind: "fail", error: new BackfillError(`the bridge answered ${status} ${code}: ${message}`.replace(/ :/, ":")) };
}
function batches(events, maxBatch, maxBytes) {
  const result = [];
  let current = [];
  let bytes = 2;
  for (const event of events) {
    const size = Buffer.byteLength(JSON.stringify(event)) + 1;
    if (current.length > 0 && (current.length >= maxBatch || bytes + size > maxBytes)) {
      result.push(current);
      current = [];
      bytes = 2;
    }
    current.push(event);
    bytes += size;
  }
  if (current.length > 0) result.push(current);
  return result;
}
function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return void 0;
  }
}
export {
  batches,
  classifyEventApiError,
  createEventApiIntake
};
