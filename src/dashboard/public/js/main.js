// @ts-check
// The dashboard shell: hash routes, the live connection, and one view mounted at a time.
import { session, UnreachableError } from "./api.js";
import { errorMessage, h, mount } from "./dom.js";
import { listenForShortcuts } from "./keys.js";
import { renderDeliveries } from "./views/deliveries.js";
import { renderEvents } from "./views/events.js";
import { renderEvent } from "./views/event.js";
import { renderRuns } from "./views/runs.js";
import { renderRun } from "./views/run.js";
import { renderFunctions } from "./views/functions.js";
import { renderSend } from "./views/send.js";
import { renderOutbox } from "./views/outbox.js";
import { renderAudit } from "./views/audit.js";

/**
 * What a view gets besides its element and the route's captures: live messages while it is
 * mounted, and whether it is still the current view after an await.
 * @typedef {{ onLive: (listener: (message: import("./api.js").LiveMessage) => void) => () => void, isCurrent: () => boolean }} ViewContext
 * @typedef {(view: HTMLElement, params: string[], context: ViewContext) => Promise<(() => void) | void>} View
 */

/** @type {Array<[RegExp, View, string]>} */
const routes = [
  [/^#\/events\/(.+)$/, renderEvent, "events"],
  [/^#\/events(?:\?.*)?$/, renderEvents, "events"],
  [/^#\/runs\/(.+)$/, renderRun, "runs"],
  [/^#\/runs(?:\?.*)?$/, renderRuns, "runs"],
  [/^#\/deliveries(?:\?.*)?$/, renderDeliveries, "deliveries"],
  [/^#\/functions$/, renderFunctions, "functions"],
  [/^#\/send$/, renderSend, "send"],
  [/^#\/outbox$/, renderOutbox, "outbox"],
  [/^#\/audit$/, renderAudit, "audit"],
];

/** @type {Set<(message: import("./api.js").LiveMessage) => void>} */
const liveListeners = new Set();

/** Views subscribe to live messages while mounted; the returned function unsubscribes. @type {ViewContext["onLive"]} */
function onLive(listener) {
  liveListeners.add(listener);
  return () => void liveListeners.delete(listener);
}

function connectLive() {
  const status = /** @type {HTMLElement} */ (document.getElementById("live-status"));
  const label = /** @type {HTMLElement} */ (status.querySelector(".label"));
  /** @param {string} state @param {string} text */
  const show = (state, text) => {
    status.dataset.state = state;
    label.textContent = text;
  };
  // EventSource reconnects by itself after an error; the server's `retry:` sets the pace.
  const source = new EventSource("/api/stream");
  source.onopen = () => show("live", "Live");
  source.onerror = () => show("offline", "Reconnecting…");
  for (const type of ["event", "run"]) {
    source.addEventListener(type, (message) => {
      const data = JSON.parse(message.data);
      for (const listener of liveListeners) listener(data);
    });
  }
}

/** @type {(() => void) | void} */
let dispose;
let generation = 0;

async function route() {
  if (!location.hash || location.hash === "#/") return void location.replace("#/events");
  const [pattern, render, nav] = routes.find(([pattern]) => pattern.test(location.hash)) ?? [];
  for (const link of document.querySelectorAll("[data-nav]"))
    link.classList.toggle("active", link instanceof HTMLElement && link.dataset.nav === nav);
  dispose?.();
  dispose = undefined;
  // A view's late answer must not paint over the next view: views check isCurrent() after awaiting.
  const mine = ++generation;
  const isCurrent = () => mine === generation;
  const view = /** @type {HTMLElement} */ (document.getElementById("view"));
  if (!pattern || !render)
    return mount(view, h("div", { class: "empty" }, "Nothing here. ", h("a", { href: "#/events" }, "Back to events")));
  const params = (pattern.exec(location.hash) ?? []).slice(1).map(decodeURIComponent);
  try {
    const cleanup = await render(view, params, { onLive, isCurrent });
    if (isCurrent()) dispose = cleanup;
    else cleanup?.();
  } catch (error) {
    if (!isCurrent()) return;
    if (error instanceof UnreachableError) return unreachable(view, error, isCurrent);
    mount(
      view,
      h(
        "div",
        { class: "card pad" },
        h("h1", {}, "Something went wrong"),
        h("p", { class: "muted" }, errorMessage(error)),
      ),
    );
  }
}

/** How often the page asks again while the bridge does not answer. */
const RETRY_MS = 3000;

/**
 * The bridge is not answering (stopped, restarting, the network gone): say so plainly, and try
 * again until it answers, then show the page that was asked for.
 * @param {HTMLElement} view @param {Error} error @param {() => boolean} isCurrent
 */
function unreachable(view, error, isCurrent) {
  let seconds = RETRY_MS / 1000;
  const countdown = h("span", { id: "retry-in" }, `${seconds}`);
  mount(
    view,
    h(
      "div",
      { class: "card pad unreachable", id: "unreachable" },
      h("h1", {}, "The bridge is not answering"),
      h("p", {}, error.message),
      h(
        "p",
        { class: "muted" },
        "It may be restarting, or stopped. Trying again in ",
        countdown,
        " s… ",
        h("button", { onclick: () => void route() }, "Try now"),
      ),
    ),
  );
  const timer = setInterval(() => {
    if (!isCurrent()) return clearInterval(timer);
    seconds -= 1;
    countdown.textContent = String(Math.max(0, seconds));
    if (seconds > 0) return;
    clearInterval(timer);
    void route();
  }, 1000);
}

window.addEventListener("hashchange", route);
connectLive();
listenForShortcuts();
void route();
session().then(
  /** @param {{ adminToken?: boolean }} session */
  ({ adminToken }) => {
    const signOut = document.getElementById("sign-out");
    if (signOut) signOut.hidden = !adminToken;
  },
  () => {},
);
