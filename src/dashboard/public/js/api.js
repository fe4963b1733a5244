// @ts-check
// The operator API, as the dashboard uses it. The session cookie carries the ADMIN_TOKEN proof.

/**
 * What the API answers, as far as the views read it (the server's types are in
 * src/dashboard/present-records.ts and src/engine/store/run-state.ts).
 * @typedef {{ name?: string, message?: string, stack?: string, cause?: unknown }} StoredError
 * @typedef {{ id: string, functionId: string, eventId: string, eventName?: string, status: string, createdAt: number, startedAt?: number, endedAt?: number, error?: string }} RunSummary
 * @typedef {{ id: string, name?: string, op: string, status: string, attempts: number, startedAt?: number, endedAt?: number, durationMs?: number, output?: unknown, error?: StoredError, retryAt?: number, wakeAt?: number, event?: string, input?: unknown[], signal?: string, invoke?: { functionId: string, runId: string } }} StepRecord
 * @typedef {RunSummary & { steps?: StepRecord[], scheduledFor?: number, cancelReason?: string, skipReason?: string, parentRunId?: string, parentStepId?: string, output?: unknown, error?: StoredError }} RunRecord
 * @typedef {{ id: string, name: string, source: string, ts: number, receivedAt: number, replayOf?: string, v?: string, data?: unknown, user?: unknown, runs?: RunSummary[] }} EventRecord
 * @typedef {{ event?: string, if?: string, cron?: string }} TriggerRecord
 * @typedef {{ throttle?: { limit: number, periodMs: number, burst: number, key?: string }, rateLimit?: { limit: number, periodMs: number, key?: string }, debounce?: { periodMs: number, timeoutMs?: number, key?: string }, batchEvents?: { maxSize: number, timeoutMs: number, key?: string, if?: string }, priority?: { run: string }, timeouts?: { startMs?: number, finishMs?: number }, singleton?: { mode: string, key?: string } }} FlowRecord Flow control, durations in ms
 * @typedef {{ id: string, appId?: string, localId?: string, name?: string, triggers?: TriggerRecord[], cancelOn?: Array<{ event: string, match?: string }>, retries?: number, concurrency?: Array<{ limit: number, key?: string, scope?: string }>, flow?: FlowRecord }} FunctionRecord
 * @typedef {{ from: string, to: string, subject: string, text: string, sentAt: number }} MailRecord
 * @typedef {{ name: string, file: string, events: string[], if?: string, on: boolean, missing: string[], signed: boolean, timeoutMs: number }} DestinationRecord
 * @typedef {{ destination: string, method?: string, host?: string, idempotencyKey?: string, status?: number, headers?: Record<string, string>, body?: string, truncated?: boolean, error?: string }} DestinationRequestRecord A destination's request and answer (a step output)
 * @typedef {{ type: "event", event: EventRecord } | { type: "run", runId?: string, change: string }} LiveMessage
 * @typedef {{ id: string, at: number, actor: string, action: string, target?: string, address?: string, details?: Record<string, unknown> }} AuditRecord
 * @typedef {{ id: string, at: number, source: string, svixId?: string, outcome: string, status: number, error?: string, bytes?: number, sha256?: string, rerunnable?: boolean, eventIds?: string[] }} DeliveryRecord
 */

/**
 * The bridge did not answer at all (stopped, restarting, the network gone), or a proxy in front
 * of it answered for it (502, 503, 504 without the bridge's JSON): not "Failed to fetch".
 */
export class UnreachableError extends Error {
  /** @param {string} cause */
  constructor(cause) {
    super(`The bridge at ${location.origin} is not answering (${cause}).`);
    this.name = "UnreachableError";
  }
}

export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {{ error?: { message?: string, code?: string } }} body
   */
  constructor(status, body) {
    super(body?.error?.message ?? `HTTP ${status}`);
    this.status = status;
    this.code = body?.error?.code;
  }
}

/**
 * @template T The answer's shape: the caller states it (the server is not type-checked with this file).
 * @param {string} path
 * @param {{ method?: string, body?: unknown }} [options]
 * @returns {Promise<T>}
 */
export async function api(path, { method = "GET", body } = {}) {
  /** @type {Response} */
  let response;
  try {
    response = await fetch(`/api${path}`, {
      method,
      credentials: "same-origin",
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new UnreachableError("no connection");
  }
  const data = await response.json().catch(() => undefined);
  if (data === undefined && response.status >= 502 && response.status <= 504)
    throw new UnreachableError(`HTTP ${response.status} from a proxy`);
  if (response.status === 401) {
    // The session is gone (ADMIN_TOKEN rotated): the server shows the sign-in page.
    location.href = "/";
  }
  if (!response.ok) throw new ApiError(response.status, data ?? {});
  return data ?? {};
}

/** @param {Record<string, string | number | null | undefined>} params */
export const query = (params) => {
  const entries = Object.entries(params).flatMap(([key, value]) =>
    value === undefined || value === null || value === "" ? [] : [[key, String(value)]],
  );
  const text = new URLSearchParams(entries).toString();
  return text ? `?${text}` : "";
};

/** @typedef {{ source: string, variable: string, secret: "set" | "local" | "missing", file?: string }} WebhookSecretState */
/** @typedef {{ adminToken?: boolean, operator?: string, devBridge?: string | null, webhooks?: WebhookSecretState[] }} Session */
/** @type {Promise<Session> | undefined} */
let sessionPromise;
/** Who is asking, and what this bridge offers (sign-in, a dev bridge): read once per page load. @returns {Promise<Session>} */
export function session() {
  sessionPromise ??= api("/session").catch((error) => {
    sessionPromise = undefined;
    throw error;
  });
  return sessionPromise;
}
