// @ts-check
// The event stream: newest first, live over server-sent events; searched on the server by name
// pattern, id, or a data value; "Replay matching" replays what the search finds, in bulk.
import { api, query } from "../api.js";
import { openBulkDialog } from "../bulk.js";
import { clock, shortId } from "../format.js";
import {
  breakable,
  coalesce,
  copyButton,
  emptyRow,
  fitPlaceholder,
  h,
  linkRow,
  mount,
  pageHead,
  when,
} from "../dom.js";
import { LEGEND_STATUSES, statusLook } from "../statuses.js";

/**
 * @typedef {import("../api.js").EventRecord} EventRecord
 * @typedef {{ kind: "id" | "names" | "data", names?: string[], scanned?: number }} SearchInfo
 * @typedef {{ events: EventRecord[], next: string | null, search?: SearchInfo }} EventPage
 */

/** @type {Array<[number, string]>} */
const WINDOWS = [
  [0, "Any time"],
  [15 * 60_000, "Last 15 minutes"],
  [3_600_000, "Last hour"],
  [86_400_000, "Last 24 hours"],
  [7 * 86_400_000, "Last 7 days"],
];

/** @param {HTMLElement} view @param {string[]} _params @param {import("../main.js").ViewContext} context */
export async function renderEvents(view, _params, { onLive, isCurrent }) {
  const params = new URLSearchParams(location.hash.split("?")[1] ?? "");
  /** @type {{ q: string, window: number, events: EventRecord[], next: string | null, search?: SearchInfo, fresh: Set<string> }} */
  const state = { q: params.get("q") ?? params.get("name") ?? "", window: 0, events: [], next: null, fresh: new Set() };
  const since = () => (state.window ? Date.now() - state.window : undefined);
  const body = h("tbody");
  const more = h("button", { onclick: () => load(true) }, "Load older");
  const explain = h("div", { class: "muted search-info", id: "search-info" });
  const filter = h("input", {
    class: "search",
    type: "search",
    id: "event-search",
    placeholder: "Search: clerk/user.*, an id, data.id = …, an email",
    value: state.q,
    "aria-label": "Search events",
    dataset: { search: "" },
  });
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let typing;
  filter.addEventListener("input", () => {
    clearTimeout(typing);
    typing = setTimeout(() => {
      state.q = filter.value.trim();
      history.replaceState(null, "", state.q ? `#/events?q=${encodeURIComponent(state.q)}` : "#/events");
      void load(false);
    }, 300);
  });
  const range = h(
    "select",
    {
      id: "event-window",
      "aria-label": "Received within",
      onchange: () => {
        state.window = Number(range.value);
        void load(false);
      },
    },
    WINDOWS.map(([value, label]) => h("option", { value }, label)),
  );
  const replayAll = h(
    "button",
    {
      id: "bulk-replay",
      title: "Replay every event this search finds, in the background",
      onclick: () =>
        openBulkDialog(
          { kind: "replay", ...(state.q ? { q: state.q } : {}), since: since() ?? 0 },
          { onDone: () => void load(false) },
        ),
    },
    "↻ Replay matching…",
  );

  mount(
    view,
    pageHead(
      "Events",
      "Everything the bridge accepted, newest first, live.",
      filter,
      range,
      replayAll,
      h("a", { href: "#/send" }, h("button", { class: "primary" }, "Send event")),
    ),
    explain,
    h(
      "div",
      { class: "card" },
      h(
        "table",
        { class: "list", id: "events-table" },
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            h("th", {}, "Event"),
            h("th", { class: "hide-narrow" }, "Source"),
            h("th", {}, "Runs", legend()),
            h("th", { class: "right hide-narrow" }, "Received"),
          ),
        ),
        body,
      ),
    ),
    h("div", { class: "more" }, more),
  );
  fitPlaceholder(filter);

  /** @param {boolean} older */
  async function load(older) {
    /** @type {EventPage} */
    const page = await api(
      `/events${query({ q: state.q, since: since(), limit: 50, before: older ? state.next : undefined })}`,
    );
    if (!isCurrent()) return;
    state.events = older ? [...state.events, ...page.events] : page.events;
    state.next = page.next;
    state.search = page.search;
    draw();
  }

  function draw() {
    more.hidden = !state.next;
    explain.textContent = describeSearch(state.search);
    mount(
      body,
      state.events.length
        ? state.events.map(row)
        : emptyRow(
            4,
            state.q
              ? `No events match ${state.q}.`
              : "No events yet. Send one, or point a Clerk webhook at /webhooks/clerk.",
          ),
    );
  }

  /** @param {EventRecord} event */
  function row(event) {
    const runs = event.runs ?? [];
    return linkRow(
      `#/events/${encodeURIComponent(event.id)}`,
      { class: state.fresh.has(event.id) ? "fresh" : "", dataset: { eventId: event.id, eventName: event.name } },
      h(
        "td",
        {},
        h("div", { class: "name" }, breakable(event.name)),
        h(
          "div",
          { class: "id", title: event.id },
          shortId(event.id),
          copyButton(event.id, "event id"),
          event.replayOf ? ` · replay of ${shortId(event.replayOf)}` : "",
        ),
        h("div", { class: "muted small show-narrow" }, when(event.receivedAt)),
      ),
      h("td", { class: "hide-narrow" }, h("span", { class: "badge source" }, event.source)),
      h(
        "td",
        {},
        runs.length
          ? h(
              "div",
              { class: "pills" },
              [...runs].sort((a, b) => a.functionId.localeCompare(b.functionId)).map(runPill),
            )
          : h("span", { class: "muted", title: "no function is triggered by this event" }, "—"),
      ),
      h(
        "td",
        { class: "right nowrap hide-narrow" },
        clock(event.receivedAt),
        h("div", { class: "muted small" }, when(event.receivedAt)),
      ),
    );
  }

  // A live event shows at once (unless a search is on: the server decides what matches); a
  // refresh shortly after brings its runs in (they start a moment later).
  const refreshSoon = coalesce(() => refresh(), 300);
  async function refresh() {
    if (state.q) return;
    /** @type {EventPage} */
    const page = await api(
      `/events${query({ since: since(), limit: Math.min(200, Math.max(50, state.events.length)) })}`,
    );
    if (!isCurrent() || state.q) return;
    state.events = page.events;
    state.next = page.next;
    draw();
  }
  const unsubscribe = onLive((message) => {
    if (state.q) return;
    if (message.type === "event" && !state.events.some((event) => event.id === message.event.id)) {
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

/** How the server read the search, so an empty result is not a mystery. @param {SearchInfo | undefined} search */
function describeSearch(search) {
  if (!search) return "";
  if (search.kind === "id") return "The event with this id (a webhook's id is its svix-id).";
  if (search.kind === "names")
    return search.names?.length
      ? `Events named ${search.names.join(", ")}${search.scanned ? ` (the newest ${search.scanned} events scanned)` : ""}.`
      : "No event name matches.";
  return `Searched the data of the newest ${search.scanned ?? 0} events${search.scanned && search.scanned >= 5000 ? "; Load older searches further back" : ""}.`;
}

function legend() {
  return h(
    "span",
    { class: "legend", "aria-hidden": "true" },
    LEGEND_STATUSES.map((status) => h("span", { class: `tone-${statusLook(status).tone}` }, status)),
  );
}

/** @param {import("../api.js").RunSummary} run */
function runPill(run) {
  return h(
    "span",
    {
      class: `badge tone-${statusLook(run.status).tone}`,
      "data-status": run.status,
      title: `${run.functionId}: ${run.status}`,
    },
    run.functionId,
  );
}
