// @ts-check
// The audit log: who signed in and out, and who replayed, sent, cancelled or retried what.
import { api, query } from "../api.js";
import { ago, clock, shortId } from "../format.js";
import { emptyRow, errorMessage, h, mount, pageHead } from "../dom.js";

/** How an action reads in the table. @type {Record<string, string>} */
const ACTION_LABELS = {
  "sign-in": "Signed in",
  "sign-out": "Signed out",
  send: "Sent an event",
  replay: "Replayed",
  "edit-and-replay": "Edited and replayed",
  cancel: "Cancelled a run",
  retry: "Retried a run",
  erase: "Erased a user",
  "rerun-delivery": "Re-ran a delivery",
  "send-to-dev-bridge": "Sent to another bridge",
  "bulk-replay": "Replayed in bulk",
  "bulk-retry": "Retried in bulk",
  "bulk-cancel": "Cancelled in bulk",
  pause: "Paused a function",
  resume: "Resumed a function",
};

/** Which page an action's target opens on. @type {Record<string, string>} */
const TARGET_PAGES = {
  cancel: "runs",
  retry: "runs",
  replay: "events",
  "edit-and-replay": "events",
  "rerun-delivery": "events",
  "send-to-dev-bridge": "events",
};

/**
 * What the entry was done to, as a link where the dashboard has a page for it.
 * @param {import("../api.js").AuditRecord} entry
 */
function targetCell(entry) {
  if (!entry.target) return h("td", { class: "muted" }, "—");
  const page = TARGET_PAGES[entry.action];
  const label = h("code", { title: entry.target }, shortId(entry.target));
  return h("td", {}, page ? h("a", { href: `#/${page}/${encodeURIComponent(entry.target)}` }, label) : label);
}

/** @param {import("../api.js").AuditRecord} entry */
function auditRow(entry) {
  const details = entry.details
    ? Object.entries(entry.details)
        .map(([key, value]) => `${key}: ${Array.isArray(value) ? value.join(", ") : String(value)}`)
        .join(" · ")
    : "";
  return h(
    "tr",
    { "data-action": entry.action },
    h(
      "td",
      { title: new Date(entry.at).toISOString() },
      h("span", { class: "hide-narrow" }, `${clock(entry.at)} · `),
      ago(entry.at),
    ),
    h("td", { class: "hide-narrow" }, h("code", {}, entry.actor)),
    h("td", {}, ACTION_LABELS[entry.action] ?? entry.action),
    targetCell(entry),
    h(
      "td",
      { class: "muted hide-narrow" },
      [entry.address ? `from ${entry.address}` : "", details].filter(Boolean).join(" · "),
    ),
  );
}

/** @param {HTMLElement} view @param {string[]} _params @param {import("../main.js").ViewContext} context */
export async function renderAudit(view, _params, { isCurrent }) {
  /** @type {{ entries: import("../api.js").AuditRecord[], next: string | null }} */
  const state = { entries: [], next: null };
  const body = h("tbody");
  const more = h("button", { onclick: () => void load(true) }, "Load older");
  const refresh = h("button", { onclick: () => void load(false) }, "Refresh");

  /** @param {boolean} older */
  async function load(older) {
    /** @type {{ entries: import("../api.js").AuditRecord[], next: string | null }} */
    let page;
    try {
      page = await api(`/audit${query({ limit: 100, before: older ? state.next : undefined })}`);
    } catch (error) {
      if (isCurrent()) mount(body, emptyRow(5, errorMessage(error)));
      return;
    }
    if (!isCurrent()) return;
    state.entries = older ? [...state.entries, ...page.entries] : page.entries;
    state.next = page.next;
    more.hidden = !state.next;
    mount(body, state.entries.length ? state.entries.map(auditRow) : emptyRow(5, "Nothing recorded yet."));
  }

  mount(
    view,
    pageHead(
      "Audit",
      "What operators did, newest first: sign-ins, replays, sends, cancellations, retries, bulk actions, pauses. Kept 90 days.",
      refresh,
    ),
    h(
      "div",
      { class: "card" },
      h(
        "table",
        { class: "list", id: "audit-table" },
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            h("th", {}, "When"),
            h("th", { class: "hide-narrow" }, "Who"),
            h("th", {}, "Action"),
            h("th", {}, "Target"),
            h("th", { class: "hide-narrow" }, "Details"),
          ),
        ),
        body,
      ),
    ),
    h("div", { style: "margin-top:14px;text-align:center" }, more),
  );
  await load(false);
}
