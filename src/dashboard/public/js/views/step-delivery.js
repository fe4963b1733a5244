// @ts-check
// What a destination's step shows: the request it made and the answer it got.
import { h } from "../dom.js";

/**
 * A destination's delivery (src/destinations/send-request.ts): the answer is the step's output when
 * delivered, the cause of its error when not. Shows the status, the attempts and the answer's body.
 * @param {import("../api.js").StepRecord} step
 */
export function delivery(step) {
  const answer = /** @type {import("../api.js").DestinationRequestRecord | undefined} */ (
    isDelivery(step.output) ? step.output : isDelivery(step.error?.cause) ? step.error?.cause : undefined
  );
  if (!answer) return null;
  const status = answer.status === undefined ? "no answer" : `HTTP ${answer.status}`;
  const tone = answer.status !== undefined && answer.status < 300 ? "ok" : step.status === "retrying" ? "wait" : "fail";
  return h(
    "div",
    { class: "delivery", dataset: { destination: answer.destination, status: String(answer.status ?? "") } },
    h(
      "div",
      { class: "pills", style: "gap:10px;align-items:center" },
      h("span", { class: `badge tone-${tone}` }, status),
      h("span", { class: "muted" }, `${answer.method ?? "POST"} ${answer.host ?? ""}`),
      h("span", { class: "muted" }, `${step.attempts} attempt${step.attempts === 1 ? "" : "s"}`),
      answer.idempotencyKey
        ? h("span", { class: "muted mono", title: "Idempotency-Key" }, answer.idempotencyKey)
        : null,
    ),
    answer.error ? h("div", { class: "muted" }, answer.error) : null,
    answer.body ? h("pre", { class: "json answer" }, answer.body + (answer.truncated ? "\n…" : "")) : null,
  );
}

/** @param {unknown} value @returns {boolean} */
function isDelivery(value) {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (/** @type {{ destination?: unknown }} */ (value).destination) === "string" &&
    "idempotencyKey" in value
  );
}
