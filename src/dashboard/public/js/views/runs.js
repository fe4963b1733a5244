// @ts-check
// Every run, filtered by status and function: the place to find what failed.
import { api, query } from "../api.js";
import { coalesce, emptyRow, h, mount, pageHead } from "../dom.js";
import { RUN_STATUSES, statusLook } from "../statuses.js";
import { runRow } from "./event.js";

/** @param {HTMLElement} view @param {string[]} _params @param {import("../main.js").ViewContext} context */
export async function renderRuns(view, _params, { onLive, isCurrent }) {
  // The functions page links here with a function chosen.
  /** @type {{ status: string, functionId: string, runs: import("../api.js").RunSummary[], next: string | null }} */
  const state = { status: "", functionId: sessionStorage.getItem("runs.function") ?? "", runs: [], next: null };
  sessionStorage.removeItem("runs.function");
  /** @type {{ functions: import("../api.js").FunctionRecord[] }} */
  const { functions } = await api("/functions");
  if (!isCurrent()) return undefined;
  const body = h("tbody");
  const more = h("button", { onclick: () => load(true) }, "Load older");
  const status = h("select", { id: "run-status", "aria-label": "Status", onchange: () => { state.status = status.value; void load(false); } },
    h("option", { value: "" }, "Any status"), RUN_STATUSES.map((value) => h("option", { value }, statusLook(value).label)));
  const fn = h("select", { id: "run-function", "aria-label": "Function", onchange: () => { state.functionId = fn.value; void load(false); } },
    h("option", { value: "" }, "Any function"), functions.map((f) => h("option", { value: f.id, selected: f.id === state.functionId }, f.id)));

  mount(
    view,
    pageHead("Runs", "One run per function per event. Open one to see its steps.", status, fn),
    h("div", { class: "card" }, h("table", { class: "list", id: "runs-table" },
      h("thead", {}, h("tr", {}, h("th", {}, "Function"), h("th", {}, "Event"), h("th", {}, "Status"), h("th", {}, "Started"), h("th", {}, "Duration"))),
      body)),
    h("div", { style: "margin-top:14px;text-align:center" }, more),
  );

  /** @param {boolean} older */
  async function load(older) {
    /** @type {{ runs: import("../api.js").RunSummary[], next: string | null }} */
    const page = await api(`/runs${query({ status: state.status, function: state.functionId, limit: 50, before: older ? state.next : undefined })}`);
    state.runs = older ? [...state.runs, ...page.runs] : page.runs;
    state.next = page.next;
    more.hidden = !state.next;
    mount(body, state.runs.length ? state.runs.map((run) => runRow(run, { withEvent: true })) : emptyRow(5, "No runs match."));
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
