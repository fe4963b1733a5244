// @ts-check
// The event stream: newest first, filtered by name, updated live over server-sent events.
import { api, query } from "../api.js";
import { ago, clock, coalesce, emptyRow, h, linkRow, mount, pageHead, shortId } from "../dom.js";
import { LEGEND_STATUSES, statusLook } from "../statuses.js";

/** @typedef {import("../api.js").EventRecord} EventRecord @typedef {{ events: EventRecord[], next: string | null }} EventPage */

/** @param {HTMLElement} view @param {string[]} _params @param {import("../main.js").ViewContext} context */
export async function renderEvents(view, _params, { onLive }) {
  /** @type {{ name: string, window: number, events: EventRecord[], next: string | null, fresh: Set<string> }} */
  const state = { name: new URLSearchParams(location.hash.split("?")[1] ?? "").get("name") ?? "", window: 0, events: [], next: null, fresh: new Set() };
  const since = () => (state.window ? Date.now() - state.window : undefined);
  const body = h("tbody");
  const more = h("button", { onclick: () => load(true) }, "Load older");
  const filter = h("input", { class: "search", type: "search", placeholder: "Event name, e.g. clerk/user.created", value: state.name, "aria-label": "Filter by event name" });
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let typing;
  filter.addEventListener("input", () => {
    clearTimeout(typing);
    typing = setTimeout(() => {
      state.name = filter.value.trim();
      void load(false);
    }, 250);
  });

  /** @type {Array<[number, string]>} */
  const windows = [[0, "Any time"], [15 * 60_000, "Last 15 minutes"], [3_600_000, "Last hour"], [86_400_000, "Last 24 hours"], [7 * 86_400_000, "Last 7 days"]];
  const range = h("select", { id: "event-window", "aria-label": "Received within", onchange: () => { state.window = Number(range.value); void load(false); } },
    windows.map(([value, label]) => h("option", { value }, label)));

  mount(
    view,
    pageHead("Events", "Everything the bridge accepted, newest first, live.", filter, range, h("a", { href: "#/send" }, h("button", { class: "primary" }, "Send event"))),
    h("div", { class: "card" }, h("table", { class: "list", id: "events-table" },
      h("thead", {}, h("tr", {}, h("th", {}, "Event"), h("th", {}, "Source"), h("th", {}, "Runs", legend()), h("th", { style: "text-align:right" }, "Received"))),
      body)),
    h("div", { style: "margin-top:14px;text-align:center" }, more),
  );

  /** @param {boolean} older */
  async function load(older) {
    /** @type {EventPage} */
    const page = await api(`/events${query({ name: state.name, since: since(), limit: 50, before: older ? state.next : undefined })}`);
    state.events = older ? [...state.events, ...page.events] : page.events;
    state.next = page.next;
    draw();
  }

  function draw() {
    more.hidden = !state.next;
    mount(body, state.events.length ? state.events.map(row) : emptyRow(4, state.name ? `No events named ${state.name} yet.` : "No events yet. Send one, or point a Clerk webhook at /webhooks/clerk."));
  }

  /** @param {EventRecord} event */
  function row(event) {
    const runs = event.runs ?? [];
    return linkRow(`#/events/${encodeURIComponent(event.id)}`, { class: state.fresh.has(event.id) ? "fresh" : "", dataset: { eventId: event.id, eventName: event.name } },
      h("td", {}, h("div", { class: "name" }, event.name), h("div", { class: "id", title: event.id }, shortId(event.id), event.replayOf ? ` · replay of ${shortId(event.replayOf)}` : "")),
      h("td", {}, h("span", { class: "badge source" }, event.source)),
      h("td", {}, runs.length ? h("div", { class: "pills" }, [...runs].sort((a, b) => a.functionId.localeCompare(b.functionId)).map(runPill)) : h("span", { class: "muted", title: "no function is triggered by this event" }, "—")),
      h("td", { style: "text-align:right;white-space:nowrap", title: new Date(event.receivedAt).toISOString() }, clock(event.receivedAt), h("div", { class: "muted", style: "font-size:12px" }, ago(event.receivedAt))),
    );
  }

  function legend() {
    return h("span", { class: "legend", "aria-hidden": "true" }, LEGEND_STATUSES.map((status) => h("span", { class: `tone-${statusLook(status).tone}` }, status)));
  }

  /** @param {import("../api.js").RunSummary} run */
  function runPill(run) {
    return h("span", { class: `badge tone-${statusLook(run.status).tone}`, "data-status": run.status, title: `${run.functionId}: ${run.status}` }, run.functionId);
  }

  // A live event shows at once; a refresh shortly after brings its runs in (they start a moment later).
  const refreshSoon = coalesce(() => refresh(), 300);
  async function refresh() {
    /** @type {EventPage} */
    const page = await api(`/events${query({ name: state.name, since: since(), limit: Math.min(200, Math.max(50, state.events.length)) })}`);
    state.events = page.events;
    state.next = page.next;
    draw();
  }
  const unsubscribe = onLive((message) => {
    if (message.type === "event") {
      const matches = !state.name || message.event.name === state.name || (state.name.endsWith("*") && message.event.name.startsWith(state.name.slice(0, -1)));
      if (!matches || state.events.some((event) => event.id === message.event.id)) return;
      state.fresh.add(message.event.id);
      state.events = [{ ...message.event, runs: [] }, ...state.events];
      draw();
    }
    refreshSoon.schedule();
  });
  const ticker = setInterval(draw, 30_000);

  await load(false);
  return () => {
    unsubscribe();
    refreshSoon.cancel();
    clearInterval(ticker);
  };
}
