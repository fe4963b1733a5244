// @ts-check
// Every run, by status, function, event and time: the place to find what failed, and to retry
// or cancel a function's runs in bulk.
import { api, query } from "../api.js";
import { openBulkDialog } from "../bulk.js";
import { coalesce, emptyRow, fitPlaceholder, h, mount, pageHead } from "../dom.js";
import { noRunsYet } from "../empty-states.js";
import { RUN_STATUSES, statusLook } from "../statuses.js";
import { runRow } from "./run-row.js";

/** @type {Array<[number, string]>} */
const WINDOWS = [
  [0, "Any time"],
  [3_600_000, "Last hour"],
  [86_400_000, "Last 24 hours"],
  [7 * 86_400_000, "Last 7 days"],
];

/** @param {HTMLElement} view @param {string[]} _params @param {import("../main.js").ViewContext} context */
export async function renderRuns(view, _params, { onLive, isCurrent }) {
  // The functions page links here with a function (and a status) chosen: #/runs?function=x&status=failed
  const params = new URLSearchParams(location.hash.split("?")[1] ?? "");
  /** @type {{ status: string, functionId: string, event: string, window: number, runs: import("../api.js").RunSummary[], next: string | null }} */
  const state = {
    status: params.get("status") ?? "",
    functionId: params.get("function") ?? "",
    event: params.get("event") ?? "",
    window: 0,
    runs: [],
    next: null,
  };
  /** @type {{ functions: import("../api.js").FunctionRecord[] }} */
  const { functions } = await api("/functions");
  if (!isCurrent()) return undefined;
  const since = () => (state.window ? Date.now() - state.window : undefined);
  const body = h("tbody");
  const more = h("button", { onclick: () => load(true) }, "Load older");
  const status = h(
    "select",
    {
      id: "run-status",
      "aria-label": "Status",
      onchange: () => {
        state.status = status.value;
        void load(false);
      },
    },
    h("option", { value: "" }, "Any status"),
    RUN_STATUSES.map((value) => h("option", { value, selected: value === state.status }, statusLook(value).label)),
  );
  const fn = h(
    "select",
    {
      id: "run-function",
      "aria-label": "Function",
      onchange: () => {
        state.functionId = fn.value;
        void load(false);
      },
    },
    h("option", { value: "" }, "Any function"),
    functions.map((f) => h("option", { value: f.id, selected: f.id === state.functionId }, f.id)),
  );
  const range = h(
    "select",
    {
      id: "run-window",
      "aria-label": "Created within",
      onchange: () => {
        state.window = Number(range.value);
        void load(false);
      },
    },
    WINDOWS.map(([value, label]) => h("option", { value }, label)),
  );
  const event = h("input", {
    class: "search",
    type: "search",
    id: "run-search",
    value: state.event,
    placeholder: "Event id, or name: clerk/user.*",
    "aria-label": "Event id or name",
    dataset: { search: "" },
  });
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let typing;
  event.addEventListener("input", () => {
    clearTimeout(typing);
    typing = setTimeout(() => {
      state.event = event.value.trim();
      void load(false);
    }, 300);
  });
  /** @param {"retry" | "cancel"} kind */
  const bulk = (kind) => () => {
    if (!state.functionId) return void fn.focus();
    const since0 = since() ?? 0;
    const onDone = () => void load(false);
    if (kind === "retry") return openBulkDialog({ kind, functionId: state.functionId, since: since0 }, { onDone });
    const filter = h(
      "label",
      { class: "bulk-filter" },
      "Only runs whose event matches (CEL, optional)",
      h("input", { id: "bulk-if", class: "mono", placeholder: 'event.data.id == "user_123"', style: "width:100%" }),
    );
    openBulkDialog(
      { kind, functionId: state.functionId, ...(state.window ? { since: since0 } : {}) },
      { onDone, filter },
    );
  };

  mount(
    view,
    pageHead(
      "Runs",
      "One run per function per event. Open one to see its steps.",
      event,
      status,
      fn,
      range,
      h(
        "button",
        { id: "bulk-retry", title: "Retry every failed run of the chosen function", onclick: bulk("retry") },
        "↻ Retry failed…",
      ),
      h(
        "button",
        {
          id: "bulk-cancel",
          class: "danger",
          title: "Cancel the chosen function's runs that have not ended",
          onclick: bulk("cancel"),
        },
        "✕ Cancel…",
      ),
    ),
    h(
      "div",
      { class: "card" },
      h(
        "table",
        { class: "list", id: "runs-table" },
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            h("th", {}, "Function"),
            h("th", { class: "hide-narrow" }, "Event"),
            h("th", {}, "Status"),
            h("th", {}, "Started"),
            h("th", { class: "hide-narrow" }, "Duration"),
          ),
        ),
        body,
      ),
    ),
    h("div", { class: "more" }, more),
  );
  fitPlaceholder(event);

  /** An id reads as one event's runs; anything else as an event name (prefix or `*` pattern). */
  const eventFilter = () =>
    !state.event
      ? {}
      : /[/*]/.test(state.event) || /^[a-z]+\.[a-z.]+$/.test(state.event)
        ? { eventName: state.event }
        : { event: state.event };

  /** @param {boolean} older */
  async function load(older) {
    /** @type {{ runs: import("../api.js").RunSummary[], next: string | null }} */
    const page = await api(
      `/runs${query({ status: state.status, function: state.functionId, ...eventFilter(), since: since(), limit: 50, before: older ? state.next : undefined })}`,
    );
    if (!isCurrent()) return;
    state.runs = older ? [...state.runs, ...page.runs] : page.runs;
    state.next = page.next;
    more.hidden = !state.next;
    const filtered = Boolean(state.status || state.functionId || state.event || state.window);
    const empty =
      state.runs.length > 0 ? undefined : filtered ? emptyRow(5, "No runs match these filters.") : await noRunsYet(5);
    if (!isCurrent()) return;
    mount(body, empty ?? state.runs.map((run) => runRow(run, { withEvent: true })));
  }

  const reload = coalesce(() => load(false), 400);
  const unsubscribe = onLive((message) => {
    if (message.type === "run") reload.schedule();
  });
  await load(false);
  return () => {
    unsubscribe();
    reload.cancel();
  };
}
