// @ts-check
// The queues, and the functions this bridge runs: what triggers and cancels them, how their runs
// went lately, when the next cron tick is due; pause and resume each.
import { api } from "../api.js";
import { breakable, coalesce, errorMessage, h, mount, pageHead, toast } from "../dom.js";
import { queueCard, statsRows } from "./function-stats.js";

/**
 * @typedef {import("../api.js").FunctionRecord} FunctionRecord
 * @typedef {import("./function-stats.js").FunctionStats} FunctionStats
 * @typedef {import("./function-stats.js").QueueDepth} QueueDepth
 * @typedef {import("../api.js").DestinationRecord} DestinationRecord
 */

/** The built-in user-sync's id: its app "bridge", then its own id (src/config/built-in-ids.ts). */
const USER_SYNC = "bridge-user-sync";

/** @param {HTMLElement} view @param {string[]} _params @param {import("../main.js").ViewContext} context */
export async function renderFunctions(view, _params, { onLive, isCurrent }) {
  async function draw() {
    /** @type {[{ functions: FunctionRecord[] }, { count: number } | null, { functions: FunctionStats[] }, { queues: QueueDepth[] }, { destinations: DestinationRecord[] }]} */
    const [{ functions }, users, { functions: stats }, { queues }, { destinations }] = await Promise.all([
      api("/functions"),
      // Only where user-sync runs in this process; a 404 means nothing to show.
      api("/users/count").catch(() => null),
      api("/functions/stats"),
      api("/queues"),
      api("/destinations"),
    ]);
    if (!isCurrent()) return;
    const byId = new Map(stats.map((entry) => [entry.id, entry]));
    mount(
      view,
      pageHead(
        "Queues & functions",
        `${functions.length} function${functions.length === 1 ? "" : "s"} registered. Built-ins are switched on by FUNCTIONS; your own live in FUNCTIONS_DIR.`,
      ),
      h("div", { class: "cards queues", id: "queues" }, queues.map(queueCard)),
      h("h2", {}, "Functions"),
      functions.length === 0
        ? h("div", { class: "card empty" }, "No functions are registered.")
        : h(
            "div",
            { class: "cards" },
            functions.map((fn) => card(fn, fn.id === USER_SYNC ? users : null, byId.get(fn.id), draw)),
          ),
      h("h2", {}, `Destinations (${destinations.filter((destination) => destination.on).length} on)`),
      destinations.length === 0
        ? h(
            "div",
            { class: "card empty" },
            "No destinations are loaded: FUNCTIONS leaves out destinations, or DESTINATIONS_DIR has none.",
          )
        : h("div", { class: "cards", id: "destinations" }, destinations.map(destinationCard)),
    );
  }
  const redraw = coalesce(() => draw(), 1500);
  const unsubscribe = onLive((message) => {
    if (message.type === "run") redraw.schedule();
  });
  await draw();
  return () => {
    unsubscribe();
    redraw.cancel();
  };
}

/** A destination, on or off; an off one names the variables that would switch it on. @param {DestinationRecord} destination */
function destinationCard(destination) {
  return h(
    "div",
    { class: "card function-card", dataset: { destination: destination.name, on: String(destination.on) } },
    h(
      "div",
      { style: "display:flex;justify-content:space-between;align-items:center;gap:8px" },
      h("span", { class: "name", style: "font-size:14px" }, breakable(destination.name)),
      h("span", { class: `badge tone-${destination.on ? "ok" : "off"}` }, destination.on ? "on" : "off"),
    ),
    h("div", { class: "muted" }, `${destination.file}${destination.signed ? " · signed (Standard Webhooks)" : ""}`),
    kv(
      "Events",
      destination.events.map((event) => h("code", {}, event)),
    ),
    destination.if ? kv("If", h("code", {}, destination.if)) : null,
    destination.on
      ? null
      : kv(
          "Needs",
          destination.missing.map((variable) => h("code", {}, variable)),
        ),
  );
}

/**
 * @param {FunctionRecord} fn @param {{ count: number } | null} users how many users user-sync mirrors
 * @param {FunctionStats | undefined} stats @param {() => Promise<void>} redraw
 */
function card(fn, users, stats, redraw) {
  const triggers = fn.triggers ?? [];
  const runs = `#/runs?function=${encodeURIComponent(fn.id)}`;
  return h(
    "div",
    {
      class: `card function-card${stats?.paused ? " paused" : ""}`,
      dataset: { functionId: fn.id, paused: String(stats?.paused ?? false) },
    },
    h(
      "div",
      { class: "function-head" },
      h("span", { class: "name", style: "font-size:14px" }, breakable(fn.id)),
      h("span", { class: "toolbar" }, pauseButton(fn.id, stats, redraw), h("a", { href: runs }, "runs →")),
    ),
    fn.name && fn.name !== fn.id ? h("div", { class: "muted" }, fn.name) : null,
    kv(
      "Triggers",
      triggers.map((trigger) =>
        trigger.event
          ? h(
              "span",
              {},
              h("code", {}, trigger.event),
              trigger.if ? h("span", { class: "muted" }, ` if ${trigger.if}`) : null,
            )
          : h("code", {}, `cron ${trigger.cron}`),
      ),
    ),
    fn.cancelOn?.length
      ? kv(
          "Cancel on",
          fn.cancelOn.map((c) =>
            h("span", {}, h("code", {}, c.event), c.match ? h("span", { class: "muted" }, ` match ${c.match}`) : null),
          ),
        )
      : null,
    fn.retries !== undefined ? kv("Retries", String(fn.retries)) : null,
    fn.concurrency?.length
      ? kv(
          "Concurrency",
          fn.concurrency.map((limit) =>
            h(
              "span",
              {},
              `${limit.limit}${limit.key ? ` per ${limit.key}` : ""}${limit.scope && limit.scope !== "fn" ? ` (${limit.scope})` : ""}`,
            ),
          ),
        )
      : null,
    fn.flow
      ? kv(
          "Flow control",
          flowLabels(fn.flow).map((label) => h("span", {}, label)),
        )
      : null,
    users
      ? kv(
          "Mirrored",
          h(
            "span",
            { dataset: { usersCount: String(users.count) } },
            `${users.count} user${users.count === 1 ? "" : "s"} in the users table`,
          ),
        )
      : null,
    stats ? statsRows(stats, runs) : null,
  );
}

/** @param {string} id @param {FunctionStats | undefined} stats @param {() => Promise<void>} redraw */
function pauseButton(id, stats, redraw) {
  if (!stats) return null;
  const action = stats.paused ? "resume" : "pause";
  const click = async () => {
    try {
      /** @type {{ resumed?: number }} */
      const result = await api(`/functions/${encodeURIComponent(id)}/${action}`, { method: "POST", body: {} });
      toast(
        action === "pause"
          ? `${id} paused: its new runs wait`
          : `${id} resumed: ${result.resumed ?? 0} held run${result.resumed === 1 ? "" : "s"} started`,
      );
      await redraw();
    } catch (error) {
      toast(errorMessage(error), "error");
    }
  };
  return h(
    "button",
    { class: stats.paused ? "primary small-button" : "small-button", dataset: { action }, onclick: click },
    stats.paused ? "▶ Resume" : "❚❚ Pause",
  );
}

/**
 * One short line per flow-control option, e.g. "throttle 2 per 60s".
 * @param {import("../api.js").FlowRecord} flow
 */
function flowLabels(flow) {
  const s = (/** @type {number} */ ms) => `${ms / 1000}s`;
  const per = (/** @type {string | undefined} */ key) => (key ? ` per ${key}` : "");
  const { throttle, rateLimit, debounce, batchEvents, priority, timeouts, singleton } = flow;
  return [
    throttle &&
      `throttle ${throttle.limit} per ${s(throttle.periodMs)}${throttle.burst ? ` (+${throttle.burst} burst)` : ""}${per(throttle.key)}`,
    rateLimit && `rate limit ${rateLimit.limit} per ${s(rateLimit.periodMs)}${per(rateLimit.key)}`,
    debounce &&
      `debounce ${s(debounce.periodMs)}${debounce.timeoutMs ? ` (at most ${s(debounce.timeoutMs)})` : ""}${per(debounce.key)}`,
    batchEvents && `batch ${batchEvents.maxSize} or ${s(batchEvents.timeoutMs)}${per(batchEvents.key)}`,
    priority && `priority ${priority.run}`,
    timeouts?.startMs && `start within ${s(timeouts.startMs)}`,
    timeouts?.finishMs && `finish within ${s(timeouts.finishMs)}`,
    singleton && `singleton (${singleton.mode})${per(singleton.key)}`,
  ].filter((label) => typeof label === "string");
}

/** @param {string} key @param {import("../dom.js").Child} values */
function kv(key, values) {
  return h(
    "div",
    { class: "kv" },
    h("span", { class: "k" }, key),
    h("span", { class: "pills", style: "gap:10px" }, values),
  );
}
