// @ts-check
// Run and step statuses as the dashboard shows them: every view reads them from here. The lists
// mirror RUN_STATUSES, FINAL_STATUSES and STEP_STATUSES in src/engine/store/run-state.ts (a browser
// cannot import TypeScript); test/unit/dashboard-statuses.test.ts fails if they drift apart.
// No DOM in this file, so that test can import it in Node.

export const RUN_STATUSES = /** @type {const} */ ([
  "queued",
  "running",
  "sleeping",
  "waiting",
  "completed",
  "failed",
  "cancelled",
  "skipped",
]);
export const FINAL_STATUSES = /** @type {const} */ (["completed", "failed", "cancelled", "skipped"]);
/** A worker has the run or is about to: steps inside one job send no live message, so its page polls. */
export const BUSY_STATUSES = /** @type {const} */ (["queued", "running"]);
export const STEP_STATUSES = /** @type {const} */ (["completed", "failed", "retrying", "sleeping", "waiting"]);
/** One status of each colour, for the legend above the event stream's run pills. */
export const LEGEND_STATUSES = /** @type {const} */ (["completed", "running", "sleeping", "failed", "cancelled"]);

/** @typedef {(typeof RUN_STATUSES)[number]} RunStatus */
/** @typedef {(typeof STEP_STATUSES)[number]} StepStatus */
/** @typedef {"ok" | "run" | "wait" | "fail" | "off"} Tone A colour in app.css: `.tone-ok`, `.tone-run`, ... */
/** @typedef {{ label: string, tone: Tone, mark: string }} StatusLook The mark is the step timeline's. */

/** @type {Record<RunStatus | StepStatus, StatusLook>} */
const LOOKS = {
  queued: { label: "Queued", tone: "run", mark: "•" },
  running: { label: "Running", tone: "run", mark: "•" },
  sleeping: { label: "Sleeping", tone: "wait", mark: "z" },
  waiting: { label: "Waiting", tone: "wait", mark: "…" },
  retrying: { label: "Retrying", tone: "wait", mark: "↻" },
  completed: { label: "Completed", tone: "ok", mark: "✓" },
  failed: { label: "Failed", tone: "fail", mark: "!" },
  cancelled: { label: "Cancelled", tone: "off", mark: "–" },
  skipped: { label: "Skipped", tone: "off", mark: "⤼" },
};

/** Webhook deliveries: what the bridge did with each (src/deliveries/delivery-log.ts); any other outcome is an error code. */
export const DELIVERY_OUTCOMES = /** @type {const} */ (["accepted", "redelivered", "rerun", "erased"]);
/** The error codes a webhook delivery can be refused with (src/errors.ts), for the outcome filter. */
export const DELIVERY_REFUSALS = /** @type {const} */ ([
  "signature_invalid",
  "timestamp_stale",
  "headers_missing",
  "headers_invalid",
  "body_malformed",
  "payload_too_large",
  "unsupported_media_type",
  "transform_failed",
  "redis_unavailable",
  "internal",
]);

/** @type {Record<string, StatusLook>} */
const DELIVERY_LOOKS = {
  accepted: { label: "Accepted", tone: "ok", mark: "✓" },
  redelivered: { label: "Redelivered", tone: "run", mark: "↻" },
  rerun: { label: "Re-run", tone: "ok", mark: "↻" },
  // It names a user erased within TOMBSTONE_TTL: answered 200 so Svix stops, nothing stored.
  erased: { label: "Erased user", tone: "off", mark: "∅" },
};

/**
 * A delivery's outcome: accepted, redelivered, re-run, dropped for naming an erased user, or refused with its error code.
 * @param {string} outcome
 * @returns {StatusLook}
 */
export function deliveryLook(outcome) {
  return Object.hasOwn(DELIVERY_LOOKS, outcome)
    ? /** @type {StatusLook} */ (DELIVERY_LOOKS[outcome])
    : { label: outcome, tone: "fail", mark: "!" };
}

/**
 * A status the dashboard does not know (a newer server) still shows, as plain grey text.
 * @param {string | undefined} status
 * @returns {StatusLook}
 */
export function statusLook(status) {
  if (status !== undefined && Object.hasOwn(LOOKS, status)) return LOOKS[/** @type {keyof typeof LOOKS} */ (status)];
  return { label: status ?? "unknown", tone: "off", mark: "" };
}

/** @param {string} status */
export const isFinal = (status) => /** @type {readonly string[]} */ (FINAL_STATUSES).includes(status);

/** @param {string} status */
export const isBusy = (status) => /** @type {readonly string[]} */ (BUSY_STATUSES).includes(status);
