// @ts-check
// Every webhook delivery: accepted, redelivered by Svix, or refused (wrong secret, bad body, a
// template bug), newest first, filtered by source and outcome. A delivery its template refused
// (422) kept its verified payload: once the template is fixed on disk, it is re-run from here.
import { api, query } from "../api.js";
import { clock, firstLine, shortId } from "../format.js";
import { copyButton, emptyRow, errorMessage, h, mount, pageHead, toast, when } from "../dom.js";
import { jsonView } from "../json-view.js";
import { noDeliveriesYet } from "../empty-states.js";
import { DELIVERY_OUTCOMES, DELIVERY_REFUSALS, deliveryLook } from "../statuses.js";

/** @typedef {import("../api.js").DeliveryRecord} DeliveryRecord */

/** @param {HTMLElement} view @param {string[]} _params @param {import("../main.js").ViewContext} context */
export async function renderDeliveries(view, _params, { isCurrent }) {
  const params = new URLSearchParams(location.hash.split("?")[1] ?? "");
  /** @type {{ source: string, outcome: string, items: DeliveryRecord[], next: string | null, open: string | null, none?: HTMLElement }} */
  const state = {
    source: params.get("source") ?? "",
    outcome: params.get("outcome") ?? "",
    items: [],
    next: null,
    open: null,
  };
  const body = h("tbody");
  const more = h("button", { onclick: () => void load(true) }, "Load older");
  const source = h(
    "select",
    {
      id: "delivery-source",
      "aria-label": "Source",
      onchange: () => {
        state.source = source.value;
        void load(false);
      },
    },
    h("option", { value: "" }, "Any source"),
  );
  const outcome = h(
    "select",
    {
      id: "delivery-outcome",
      "aria-label": "Outcome",
      onchange: () => {
        state.outcome = outcome.value;
        void load(false);
      },
    },
    h("option", { value: "" }, "Any outcome"),
    DELIVERY_OUTCOMES.map((value) =>
      h("option", { value, selected: value === state.outcome }, deliveryLook(value).label),
    ),
    h("option", { value: "rejected", selected: state.outcome === "rejected" }, "Refused (any reason)"),
    DELIVERY_REFUSALS.map((value) => h("option", { value, selected: value === state.outcome }, value)),
  );

  mount(
    view,
    pageHead(
      "Deliveries",
      "Every webhook delivery, newest first: accepted, redelivered by Svix, or refused and why.",
      source,
      outcome,
      h("button", { onclick: () => void load(false) }, "Refresh"),
    ),
    h(
      "div",
      { class: "card" },
      h(
        "table",
        { class: "list", id: "deliveries-table" },
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            h("th", { class: "hide-narrow" }, "Received"),
            h("th", { class: "hide-narrow" }, "Source"),
            h("th", {}, "Outcome"),
            h("th", {}, "Delivery"),
          ),
        ),
        body,
      ),
    ),
    h("div", { class: "more" }, more),
  );

  /** @param {boolean} older */
  async function load(older) {
    /** @type {{ deliveries: DeliveryRecord[], next: string | null, sources: string[] }} */
    const page = await api(
      `/deliveries${query({ source: state.source, outcome: state.outcome, limit: 50, before: older ? state.next : undefined })}`,
    );
    if (!isCurrent()) return;
    if (source.options.length === 1)
      source.append(...page.sources.map((name) => h("option", { value: name, selected: name === state.source }, name)));
    state.items = older ? [...state.items, ...page.deliveries] : page.deliveries;
    state.next = page.next;
    // Nothing at all yet: how to get a first delivery, rather than "nothing matches".
    state.none = state.items.length === 0 && !state.source && !state.outcome ? await noDeliveriesYet(4) : undefined;
    if (!isCurrent()) return;
    draw();
  }

  function draw() {
    more.hidden = !state.next;
    mount(
      body,
      state.items.length
        ? state.items.flatMap((delivery) => rows(delivery))
        : (state.none ?? emptyRow(4, "No deliveries match these filters.")),
    );
  }

  /** A delivery's row, and under it its details when opened. @param {DeliveryRecord} delivery */
  function rows(delivery) {
    const { label, tone } = deliveryLook(delivery.outcome);
    const toggle = () => {
      state.open = state.open === delivery.id ? null : delivery.id;
      draw();
    };
    /** @param {KeyboardEvent} event */
    const onkeydown = (event) => event.key === "Enter" && toggle();
    const row = h(
      "tr",
      {
        tabindex: 0,
        "aria-expanded": String(state.open === delivery.id),
        onclick: toggle,
        onkeydown,
        dataset: { deliveryId: delivery.id, outcome: delivery.outcome },
      },
      h(
        "td",
        { class: "nowrap hide-narrow" },
        clock(delivery.at),
        h("div", { class: "muted small" }, when(delivery.at)),
      ),
      h("td", { class: "hide-narrow" }, h("span", { class: "badge source" }, delivery.source)),
      h(
        "td",
        {},
        h("span", { class: `badge tone-${tone}`, "data-outcome": delivery.outcome }, label),
        h("div", { class: "muted small hide-narrow" }, `HTTP ${delivery.status}`),
      ),
      h(
        "td",
        { class: "delivery-cell" },
        delivery.svixId
          ? h(
              "div",
              { class: "id", title: delivery.svixId },
              shortId(delivery.svixId),
              copyButton(delivery.svixId, "svix-id"),
            )
          : h("div", { class: "muted" }, "no svix-id"),
        delivery.error ? h("div", { class: "run-error" }, firstLine(delivery.error)) : null,
        h("div", { class: "muted small show-narrow" }, when(delivery.at)),
      ),
    );
    return state.open === delivery.id
      ? [row, h("tr", { class: "detail" }, h("td", { colspan: 4 }, details(delivery)))]
      : [row];
  }

  /** @param {DeliveryRecord} delivery */
  function details(delivery) {
    const panel = h(
      "div",
      { class: "delivery-detail", id: `delivery-${delivery.id.replace(/[^\w-]/g, "_")}` },
      h(
        "dl",
        { class: "meta" },
        h("div", {}, h("dt", {}, "Source"), h("dd", {}, delivery.source)),
        delivery.bytes !== undefined ? h("div", {}, h("dt", {}, "Body"), h("dd", {}, `${delivery.bytes} bytes`)) : null,
        delivery.sha256
          ? h(
              "div",
              {},
              h("dt", {}, "SHA-256"),
              h("dd", { class: "mono" }, shortId(delivery.sha256), copyButton(delivery.sha256, "SHA-256")),
            )
          : null,
        delivery.eventIds?.length
          ? h(
              "div",
              {},
              h("dt", {}, "Events"),
              h(
                "dd",
                {},
                delivery.eventIds.map((id) =>
                  h("a", { class: "mono", href: `#/events/${encodeURIComponent(id)}` }, shortId(id), " "),
                ),
              ),
            )
          : null,
      ),
      delivery.error ? h("pre", { class: "error-box error-message" }, delivery.error) : null,
      delivery.status >= 400 && !delivery.rerunnable
        ? h(
            "p",
            { class: "muted" },
            "Its signature did not check out, or it was refused before: only its size and hash are kept.",
          )
        : null,
    );
    if (delivery.rerunnable) void showPayload(delivery, panel);
    return panel;
  }

  /** @param {DeliveryRecord} delivery @param {HTMLElement} panel */
  async function showPayload(delivery, panel) {
    try {
      /** @type {{ payload?: unknown }} */
      const { payload } = await api(`/deliveries/${encodeURIComponent(delivery.id)}`);
      const rerun = async () => {
        try {
          /** @type {{ ids: string[] }} */
          const result = await api(`/deliveries/${encodeURIComponent(delivery.id)}/rerun`, {
            method: "POST",
            body: {},
          });
          toast(`Re-run: accepted ${result.ids.length} event${result.ids.length === 1 ? "" : "s"}`);
          location.hash = result.ids[0] ? `#/events/${encodeURIComponent(result.ids[0])}` : "#/deliveries";
        } catch (error) {
          toast(errorMessage(error), "error");
        }
      };
      panel.append(
        h(
          "div",
          { class: "toolbar" },
          h(
            "button",
            { class: "primary", id: "rerun-delivery", onclick: rerun },
            "↻ Re-run through the current template",
          ),
          h("span", { class: "muted" }, "Fix the template file first: the re-run reads it from disk."),
        ),
        h("h2", {}, "Verified payload"),
        jsonView(payload, { label: "payload" }),
      );
    } catch (error) {
      panel.append(h("p", { class: "form-error" }, errorMessage(error)));
    }
  }

  await load(false);
}
