import type { EventDraft } from "../events/accept-events.ts";
import { BackfillError } from "./backfill-error.ts";
import type { Intake } from "./intake.ts";
import { withRetries, type FailureKind, type RetryPolicy } from "./with-retries.ts";
import { toError } from "../errors.ts";
import { fieldsOf } from "../util/json-object.ts";
import { errorCodeOf, messageOf } from "../util/thrown.ts";

export interface EventApiIntakeOptions {
  /** BRIDGE_URL, without a trailing slash. */
  baseUrl: string;
  eventKey: string;
  fetch: typeof fetch;
  retry: RetryPolicy;
  /** Events per request; the Event API takes arrays. */
  maxBatch?: number;
  /** Bytes per request, under the bridge's default MAX_BODY_BYTES (1 MiB) with room to spare. */
  maxBytes?: number;
}

/** A non-2xx answer from the Event API, with the bridge's error code. */
class EventApiError extends Error {
  override name = "EventApiError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * POST /e/$EVENT_KEY, as the Inngest SDK and `bridge send` do, in batches of up to 100 events.
 * A busy or briefly unavailable bridge (503) is retried with backoff; a body over the bridge's
 * MAX_BODY_BYTES (users with large metadata) is split in two and sent again.
 */
export function createEventApiIntake(options: EventApiIntakeOptions): Intake {
  const maxBatch = options.maxBatch ?? 100;
  const maxBytes = options.maxBytes ?? 512 * 1024;
  const url = `${options.baseUrl}/e/${encodeURIComponent(options.eventKey)}`;

  const post = async (events: EventDraft[]): Promise<void> => {
    let response: Response;
    try {
      response = await options.fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(events),
      });
    } catch (error) {
      const cause = errorCodeOf(fieldsOf(error).cause) ?? messageOf(error);
      throw new EventApiError(0, "unreachable", `cannot reach the bridge at ${options.baseUrl} (${cause})`);
    }
    const text = await response.text();
    const body = fieldsOf(parseJson(text));
    if (!response.ok) {
      const { code, message } = fieldsOf(body.error);
      throw new EventApiError(
        response.status,
        typeof code === "string" ? code : "",
        typeof message === "string" ? message : text.slice(0, 200),
      );
    }
    if (!Array.isArray(body.ids) || body.ids.length !== events.length) {
      throw new BackfillError(
        `the bridge at ${options.baseUrl} answered ${response.status} without the ids of the events sent: is BRIDGE_URL a bridge?`,
      );
    }
  };

  const sendBatch = async (events: EventDraft[]): Promise<void> => {
    try {
      await withRetries(() => post(events), classifyEventApiError, options.retry);
    } catch (error) {
      if (!(error instanceof EventApiError && error.status === 413)) throw error;
      if (events.length === 1)
        throw new BackfillError(
          `event ${events[0]?.id} is larger than the bridge's MAX_BODY_BYTES (413): raise MAX_BODY_BYTES on the bridge`,
        );
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
        const cause = errorCodeOf(fieldsOf(error).cause) ?? messageOf(error);
        throw new BackfillError(
          `cannot reach the bridge at ${options.baseUrl} (${cause}); is it running? set BRIDGE_URL otherwise, or backfill with --direct`,
        );
      }
    },
    async send(events) {
      for (const batch of batches(events, maxBatch, maxBytes)) await sendBatch(batch);
    },
    async close() {},
  };
}

/** What to do about an Event API failure; 413 is passed up to be split. */
export function classifyEventApiError(error: unknown): FailureKind {
  if (!(error instanceof EventApiError)) return { kind: "fail", error: toError(error) };
  const { status, code, message } = error;
  if (status === 0 || status >= 500)
    return { kind: "backoff", reason: status === 0 ? message : `the bridge answered ${status} ${code}: ${message}` };
  if (status === 413) return { kind: "fail", error };
  if (code === "event_name_reserved") {
    return {
      kind: "fail",
      error: new BackfillError(
        "the bridge refuses clerk/* events from this EVENT_KEY (403 event_name_reserved): add the key to TRUSTED_EVENT_KEYS on the bridge, or backfill with --direct",
      ),
    };
  }
  if (status === 401) {
    return {
      kind: "fail",
      error: new BackfillError(
        `the bridge does not accept EVENT_KEY (401 ${code}): set EVENT_KEY to one of the bridge's EVENT_KEYS that is also in TRUSTED_EVENT_KEYS`,
      ),
    };
  }
  return {
    kind: "fail",
    error: new BackfillError(`the bridge answered ${status} ${code}: ${message}`.replace(/ :/, ":")),
  };
}

/** Consecutive batches of at most `maxBatch` events and (unless one event alone is larger) `maxBytes`. */
export function batches(events: readonly EventDraft[], maxBatch: number, maxBytes: number): EventDraft[][] {
  const result: EventDraft[][] = [];
  let current: EventDraft[] = [];
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

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
