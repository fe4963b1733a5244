// @ts-check
// The functions this bridge runs, with what triggers and cancels them.
import { api } from "../api.js";
import { h, mount, pageHead } from "../dom.js";

/** @typedef {import("../api.js").FunctionRecord} FunctionRecord */
/** @typedef {import("../api.js").DestinationRecord} DestinationRecord */

/** The built-in user-sync's id: its app "bridge", then its own id (src/functions/built-in-ids.ts). */
const USER_SYNC = "bridge-user-sync";

/** @param {HTMLElement} view @param {string[]} _params @param {import("../main.js").ViewContext} context */
export async function renderFunctions(view, _params, { isCurrent }) {
  /** @type {[{ functions: FunctionRecord[] }, { count: number } | null, { destinations: DestinationRecord[] }]} */
  const [{ functions }, users, { destinations }] = await Promise.all([
    api("/functions"),
    // Only where user-sync runs in this process; a 404 means nothing to show.
    api("/users/count").catch(() => null),
    api("/destinations"),
  ]);
  if (!isCurrent()) return;
  mount(
    view,
    pageHead("Functions", `${functions.length} registered. Built-ins are switched on by FUNCTIONS; your own live in FUNCTIONS_DIR.`),
    functions.length === 0
      ? h("div", { class: "card empty" }, "No functions are registered.")
      : h("div", { class: "cards" }, functions.map((fn) => card(fn, fn.id === USER_SYNC ? users : null))),
    h("h2", {}, `Destinations (${destinations.filter((destination) => destination.on).length} on)`),
    destinations.length === 0
      ? h("div", { class: "card empty" }, "No destinations are loaded: FUNCTIONS leaves out destinations, or DESTINATIONS_DIR has none.")
      : h("div", { class: "cards", id: "destinations" }, destinations.map(destinationCard)),
  );
}

/** A destination, on or off; an off one names the variables that would switch it on. @param {DestinationRecord} destination */
function destinationCard(destination) {
  return h("div", { class: "card function-card", dataset: { destination: destination.name, on: String(destination.on) } },
    h("div", { style: "display:flex;justify-content:space-between;align-items:center;gap:8px" },
      h("span", { class: "name", style: "font-size:14px" }, destination.name),
      h("span", { class: `badge tone-${destination.on ? "ok" : "off"}` }, destination.on ? "on" : "off")),
    h("div", { class: "muted" }, `${destination.file}${destination.signed ? " · signed (Standard Webhooks)" : ""}`),
    kv("Events", destination.events.map((event) => h("code", {}, event))),
    destination.if ? kv("If", h("code", {}, destination.if)) : null,
    destination.on ? null : kv("Needs", destination.missing.map((variable) => h("code", {}, variable))),
  );
}

/** @param {FunctionRecord} fn @param {{ count: number } | null} users how many users user-sync mirrors */
function card(fn, users) {
  const triggers = fn.triggers ?? [];
  return h("div", { class: "card function-card", dataset: { functionId: fn.id } },
    h("div", { style: "display:flex;justify-content:space-between;align-items:center;gap:8px" },
      h("span", { class: "name", style: "font-size:14px" }, fn.id),
      h("a", { href: "#/runs", onclick: () => sessionStorage.setItem("runs.function", fn.id) }, "runs →")),
    fn.name && fn.name !== fn.id ? h("div", { class: "muted" }, fn.name) : null,
    kv("Triggers", triggers.map((trigger) => trigger.event
      ? h("span", {}, h("code", {}, trigger.event), trigger.if ? h("span", { class: "muted" }, ` if ${trigger.if}`) : null)
      : h("code", {}, `cron ${trigger.cron}`))),
    fn.cancelOn?.length ? kv("Cancel on", fn.cancelOn.map((c) => h("span", {}, h("code", {}, c.event), c.match ? h("span", { class: "muted" }, ` match ${c.match}`) : null))) : null,
    fn.retries !== undefined ? kv("Retries", String(fn.retries)) : null,
    fn.concurrency?.length
      ? kv("Concurrency", fn.concurrency.map((limit) => h("span", {}, `${limit.limit}${limit.key ? ` per ${limit.key}` : ""}${limit.scope && limit.scope !== "fn" ? ` (${limit.scope})` : ""}`)))
      : null,
    fn.flow ? kv("Flow control", flowLabels(fn.flow).map((label) => h("span", {}, label))) : null,
    users ? kv("Mirrored", h("span", { dataset: { usersCount: String(users.count) } }, `${users.count} user${users.count === 1 ? "" : "s"} in the users table`)) : null,
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
    throttle && `throttle ${throttle.limit} per ${s(throttle.periodMs)}${throttle.burst ? ` (+${throttle.burst} burst)` : ""}${per(throttle.key)}`,
    rateLimit && `rate limit ${rateLimit.limit} per ${s(rateLimit.periodMs)}${per(rateLimit.key)}`,
    debounce && `debounce ${s(debounce.periodMs)}${debounce.timeoutMs ? ` (at most ${s(debounce.timeoutMs)})` : ""}${per(debounce.key)}`,
    batchEvents && `batch ${batchEvents.maxSize} or ${s(batchEvents.timeoutMs)}${per(batchEvents.key)}`,
    priority && `priority ${priority.run}`,
    timeouts?.startMs && `start within ${s(timeouts.startMs)}`,
    timeouts?.finishMs && `finish within ${s(timeouts.finishMs)}`,
    singleton && `singleton (${singleton.mode})${per(singleton.key)}`,
  ].filter((label) => typeof label === "string");
}

/** @param {string} key @param {import("../dom.js").Child} values */
function kv(key, values) {
  return h("div", { class: "kv" }, h("span", { class: "k" }, key), h("span", { class: "pills", style: "gap:10px" }, values));
}
