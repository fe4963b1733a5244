// @ts-check
// A run as one row of a list: the runs page and the event page both show them.
import { ago, clock, duration, firstLine, shortId } from "../format.js";
import { breakable, h, linkRow, statusBadge } from "../dom.js";

/** @typedef {import("../api.js").RunSummary} RunSummary */

/**
 * A run as a table row; the runs page adds the event column (the event page needs none).
 * @param {RunSummary} run @param {{ withEvent?: boolean }} [options]
 */
export function runRow(run, { withEvent = false } = {}) {
  const started = run.startedAt ?? run.createdAt;
  return linkRow(
    `#/runs/${encodeURIComponent(run.id)}`,
    { dataset: { runId: run.id, status: run.status } },
    h("td", {}, h("div", { class: "name" }, breakable(run.functionId)), h("div", { class: "id" }, shortId(run.id))),
    withEvent
      ? h(
          "td",
          { class: "hide-narrow" },
          h("div", { class: "name" }, breakable(run.eventName ?? "")),
          h("div", { class: "id" }, shortId(run.eventId)),
        )
      : null,
    h(
      "td",
      {},
      statusBadge(run.status),
      run.error ? h("div", { class: "run-error", title: run.error }, firstLine(run.error)) : null,
    ),
    h("td", { class: "nowrap" }, h("span", { title: new Date(started).toISOString() }, ago(started) || clock(started))),
    h(
      "td",
      { class: "hide-narrow nowrap" },
      run.endedAt ? duration(run.endedAt - started) : h("span", { class: "muted" }, "…"),
    ),
  );
}
