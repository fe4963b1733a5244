// @ts-check
// The deliveries that carried an event, as the event page lists them.
import { clock, firstLine } from "../format.js";
import { h, when } from "../dom.js";
import { deliveryLook } from "../statuses.js";

/** @typedef {import("../api.js").DeliveryRecord} DeliveryRecord */

/** @type {Record<string, string>} */
const EXPLAINED = {
  accepted: "stored as this event",
  redelivered: "Svix sent it again: deduplicated, nothing ran twice",
  rerun: "re-run from the Deliveries page through the fixed template",
  erased: "it names an erased user: answered 200, nothing stored",
};

/**
 * The deliveries that carried an event, oldest first: refusals before it got in, then Svix's retries.
 * @param {DeliveryRecord[]} deliveries
 */
export function deliveryList(deliveries) {
  return h(
    "div",
    { class: "card" },
    h(
      "table",
      { class: "list", id: "event-deliveries" },
      h(
        "tbody",
        {},
        deliveries.map((delivery) => {
          const { label, tone } = deliveryLook(delivery.outcome);
          return h(
            "tr",
            { dataset: { outcome: delivery.outcome } },
            h("td", { class: "nowrap" }, clock(delivery.at), h("div", { class: "muted small" }, when(delivery.at))),
            h(
              "td",
              {},
              h("span", { class: `badge tone-${tone}` }, label),
              h("div", { class: "muted small" }, `HTTP ${delivery.status}`),
            ),
            h("td", { class: "muted" }, firstLine(delivery.error) || EXPLAINED[delivery.outcome] || ""),
            h(
              "td",
              { class: "right" },
              delivery.id.startsWith("event:")
                ? null
                : h("a", { href: `#/deliveries?source=${encodeURIComponent(delivery.source)}` }, "log →"),
            ),
          );
        }),
      ),
    ),
  );
}
