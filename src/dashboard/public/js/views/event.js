// @ts-check
// One event: its payload, where it came from, the deliveries that carried it, the runs it
// started; replay, edit and replay, or send it to another bridge.
import { api, session } from "../api.js";
import { ago, clock, shortId } from "../format.js";
import { breakable, coalesce, copyButton, emptyRow, errorMessage, h, meta, mount, pageHead, toast } from "../dom.js";
import { jsonView } from "../json-view.js";
import { deliveryList } from "./event-deliveries.js";
import { runRow } from "./run-row.js";

/**
 * @typedef {import("../api.js").EventRecord} EventRecord @typedef {import("../api.js").RunSummary} RunSummary
 * @typedef {import("../api.js").DeliveryRecord} DeliveryRecord
 */

/** @param {HTMLElement} view @param {string[]} params @param {import("../main.js").ViewContext} context */
export async function renderEvent(view, [id = ""], { onLive, isCurrent }) {
  let editing = false;
  // Read once: deliveries do not change as runs do, and the session says whether a dev bridge is set.
  const [{ deliveries }, { devBridge }] = await Promise.all([
    /** @type {Promise<{ deliveries: DeliveryRecord[] }>} */ (
      api(`/events/${encodeURIComponent(id)}/deliveries`).catch(() => ({ deliveries: [] }))
    ),
    session().catch(() => ({ devBridge: null })),
  ]);

  async function draw() {
    /** @type {{ event: EventRecord, runs: RunSummary[] }} */
    const { event, runs } = await api(`/events/${encodeURIComponent(id)}`);
    if (!isCurrent()) return;
    const editor = h(
      "textarea",
      { id: "edit-data", spellcheck: "false", "aria-label": "Event data (JSON)" },
      JSON.stringify(event.data, null, 2),
    );
    const problem = h("p", { class: "form-error", hidden: true });
    /** @param {object} [data] the edited data; none replays the event as it was */
    const replay = async (data) => {
      try {
        const path = data === undefined ? "replay" : "edit-and-replay";
        /** @type {{ id: string }} */
        const result = await api(`/events/${encodeURIComponent(event.id)}/${path}`, {
          method: "POST",
          body: data === undefined ? {} : { data },
        });
        toast(`Replayed as ${shortId(result.id)}`);
        editing = false;
        location.hash = `#/events/${encodeURIComponent(result.id)}`;
      } catch (error) {
        toast(errorMessage(error), "error");
      }
    };
    const submitEdit = () => {
      let data;
      try {
        data = JSON.parse(editor.value);
        if (typeof data !== "object" || data === null || Array.isArray(data))
          throw new Error("data must be a JSON object");
      } catch (error) {
        problem.hidden = false;
        problem.textContent = errorMessage(error);
        return;
      }
      void replay(data);
    };

    const sendToDev = async () => {
      try {
        await api(`/events/${encodeURIComponent(event.id)}/send-to-dev-bridge`, { method: "POST", body: {} });
        toast(`Sent to ${devBridge}`);
      } catch (error) {
        toast(errorMessage(error), "error");
      }
    };

    mount(
      view,
      h("div", { class: "crumbs" }, h("a", { href: "#/events" }, "Events"), " / ", shortId(event.id)),
      pageHead(
        h("span", { class: "name", style: "font-size:20px" }, breakable(event.name)),
        h("span", { class: "id" }, event.id, copyButton(event.id, "event id")),
        h(
          "button",
          {
            id: "replay",
            onclick: () => replay(undefined),
            title: "Send the same event again, with a new id (r)",
            dataset: { key: "r" },
          },
          "↻ Replay",
        ),
        h(
          "button",
          {
            id: "edit-replay",
            class: "primary",
            onclick: () => {
              editing = !editing;
              void draw();
            },
          },
          "✎ Edit & replay",
        ),
        devBridge
          ? h(
              "button",
              {
                id: "send-to-dev",
                onclick: sendToDev,
                title: `POST it, same id, to ${devBridge}/e/<DEV_BRIDGE_EVENT_KEY>`,
              },
              "⇢ Send to another bridge",
            )
          : null,
      ),
      editing
        ? h(
            "div",
            { class: "card pad", style: "margin-bottom:20px" },
            h("strong", {}, "Edit the data, then replay it as a new event"),
            h(
              "p",
              { class: "muted", style: "margin:4px 0 10px" },
              "The original stays as it was; the new event links back to it.",
            ),
            editor,
            problem,
            h(
              "div",
              { class: "toolbar", style: "margin-top:12px" },
              h("button", { id: "edit-submit", class: "primary", onclick: submitEdit }, "Replay with this data"),
              h(
                "button",
                {
                  onclick: () => {
                    editing = false;
                    void draw();
                  },
                },
                "Cancel",
              ),
            ),
          )
        : null,
      h(
        "div",
        { class: "card pad" },
        h(
          "dl",
          { class: "meta" },
          meta("Source", h("span", { class: "badge source" }, event.source)),
          meta("Happened", `${clock(event.ts)} (${ago(event.ts)})`),
          meta("Received", `${clock(event.receivedAt)} (${ago(event.receivedAt)})`),
          event.replayOf
            ? meta(
                "Replay of",
                h("a", { class: "mono", href: `#/events/${encodeURIComponent(event.replayOf)}` }, event.replayOf),
              )
            : null,
          event.v ? meta("Version", event.v) : null,
        ),
      ),
      deliveries.length ? [h("h2", {}, `Deliveries (${deliveries.length})`), deliveryList(deliveries)] : null,
      h("h2", {}, `Runs (${runs.length})`),
      h(
        "div",
        { class: "card" },
        h(
          "table",
          { class: "list", id: "event-runs" },
          h(
            "thead",
            {},
            h(
              "tr",
              {},
              h("th", {}, "Function"),
              h("th", {}, "Status"),
              h("th", {}, "Started"),
              h("th", { class: "hide-narrow" }, "Duration"),
            ),
          ),
          h(
            "tbody",
            {},
            runs.length
              ? runs.map((run) => runRow(run))
              : emptyRow(4, "No function is triggered by this event (or its runs are still being scheduled)."),
          ),
        ),
      ),
      h("h2", {}, "Data"),
      jsonView(event.data, { id: "event-data", label: "data" }),
      event.user ? [h("h2", {}, "User"), jsonView(event.user, { label: "user" })] : null,
    );
  }

  const redraw = coalesce(() => draw(), 250);
  const unsubscribe = onLive((message) => {
    if (!editing && message.type === "run") redraw.schedule();
  });
  await draw();
  return () => {
    unsubscribe();
    redraw.cancel();
  };
}
