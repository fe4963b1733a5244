// @ts-check
// The numbers on the functions page: a function's recent runs and a queue's depth.
import { ago, duration } from "../format.js";
import { h } from "../dom.js";
import { RUN_STATUSES, statusLook } from "../statuses.js";

/**
 * As GET /api/functions/stats and GET /api/queues answer (src/dashboard/function-stats.ts,
 * src/queue/queue-depths.ts).
 * @typedef {{ id: string, counts: Record<string, number>, scanned: number, failureRate?: number, ended24h: number, p50Ms?: number, p95Ms?: number, nextTickAt?: number, paused: boolean, held: number }} FunctionStats
 * @typedef {{ name: string, waiting: number, active: number, delayed: number, prioritized: number, failed: number, oldestWaitingAt?: number }} QueueDepth
 */

/** @param {QueueDepth} queue */
export function queueCard(queue) {
  const waiting = queue.waiting + queue.prioritized;
  return h(
    "div",
    { class: "card queue-card", dataset: { queue: queue.name } },
    h(
      "div",
      { class: "function-head" },
      h("span", { class: "name" }, `${queue.name} queue`),
      h(
        "span",
        { class: "muted small" },
        queue.oldestWaitingAt ? `oldest waiting since ${ago(queue.oldestWaitingAt)}` : "nothing waiting",
      ),
    ),
    h(
      "div",
      { class: "numbers" },
      number("waiting", waiting, waiting > 0 ? "wait" : "off"),
      number("active", queue.active, "run"),
      number(
        "delayed",
        queue.delayed,
        "off",
        queue.name === "runs" ? "sleeping, waiting, retrying, scheduled or held by a pause" : "events with a future ts",
      ),
      number("failed", queue.failed, queue.failed > 0 ? "fail" : "off"),
    ),
  );
}

/** @param {string} label @param {number} value @param {string} tone @param {string} [title] */
function number(label, value, tone, title) {
  return h(
    "div",
    { class: `number tone-${tone}`, title, dataset: { number: label } },
    h("strong", {}, String(value)),
    h("span", {}, label),
  );
}

/**
 * A function's runs by state (of its newest `scanned`), its failure rate over 24 hours, its
 * p50/p95 duration and its next cron tick.
 * @param {FunctionStats} stats @param {string} runsLink
 */
export function statsRows(stats, runsLink) {
  const states = RUN_STATUSES.filter((status) => stats.counts[status]);
  return h(
    "div",
    { class: "stats", dataset: { held: String(stats.held) } },
    stats.paused
      ? h(
          "div",
          { class: "paused-note" },
          h("span", { class: "badge tone-wait" }, "Paused"),
          ` ${stats.held} run${stats.held === 1 ? "" : "s"} held; new runs wait until it is resumed.`,
        )
      : null,
    h(
      "div",
      { class: "pills" },
      states.length
        ? states.map((status) =>
            h(
              "a",
              {
                class: `badge tone-${statusLook(status).tone}`,
                href: `${runsLink}&status=${status}`,
                dataset: { status },
              },
              `${stats.counts[status]} ${statusLook(status).label.toLowerCase()}`,
            ),
          )
        : h("span", { class: "muted" }, "No runs yet"),
    ),
    h(
      "div",
      { class: "kv" },
      h("span", { class: "k" }, "Failures"),
      h(
        "span",
        { dataset: { failureRate: String(stats.failureRate ?? "") } },
        stats.failureRate === undefined
          ? "none ended in 24 h"
          : `${Math.round(stats.failureRate * 1000) / 10}% of ${stats.ended24h} in 24 h`,
      ),
    ),
    stats.p50Ms !== undefined
      ? h(
          "div",
          { class: "kv" },
          h("span", { class: "k" }, "Duration"),
          h("span", {}, `p50 ${duration(stats.p50Ms)} · p95 ${duration(stats.p95Ms)}`),
        )
      : null,
    stats.nextTickAt
      ? h(
          "div",
          { class: "kv" },
          h("span", { class: "k" }, "Next tick"),
          h("span", { title: new Date(stats.nextTickAt).toISOString() }, ago(stats.nextTickAt)),
        )
      : null,
    h("div", { class: "muted small" }, `From the newest ${stats.scanned} runs.`),
  );
}
