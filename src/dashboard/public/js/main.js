// The dashboard shell: hash routes, the live connection, and one view mounted at a time.
import { api } from "./api.js";
import { h, mount } from "./dom.js";
import { renderEvents } from "./views/events.js";
import { renderEvent } from "./views/event.js";
import { renderRuns } from "./views/runs.js";
import { renderRun } from "./views/run.js";
import { renderFunctions } from "./views/functions.js";
import { renderSend } from "./views/send.js";
import { renderOutbox } from "./views/outbox.js";

const routes = [
  [/^#\/events\/(.+)$/, renderEvent, "events"],
  [/^#\/events(?:\?.*)?$/, renderEvents, "events"],
  [/^#\/runs\/(.+)$/, renderRun, "runs"],
  [/^#\/runs$/, renderRuns, "runs"],
  [/^#\/functions$/, renderFunctions, "functions"],
  [/^#\/send$/, renderSend, "send"],
  [/^#\/outbox$/, renderOutbox, "outbox"],
];

const liveListeners = new Set();

/** Views subscribe to live messages while mounted; the returned function unsubscribes. */
function onLive(listener) {
  liveListeners.add(listener);
  return () => liveListeners.delete(listener);
}

function connectLive() {
  const status = document.getElementById("live-status");
  const show = (state, label) => {
    status.dataset.state = state;
    status.querySelector(".label").textContent = label;
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

let dispose;
let generation = 0;

async function route() {
  if (!location.hash || location.hash === "#/") return void location.replace("#/events");
  const [pattern, render, nav] = routes.find(([pattern]) => pattern.test(location.hash)) ?? [];
  for (const link of document.querySelectorAll("[data-nav]")) link.classList.toggle("active", link.dataset.nav === nav);
  if (typeof dispose === "function") dispose();
  dispose = undefined;
  // A view's late answer must not paint over the next view: views check isCurrent() after awaiting.
  const mine = ++generation;
  const isCurrent = () => mine === generation;
  const view = document.getElementById("view");
  if (!render) return mount(view, h("div", { class: "empty" }, "Nothing here. ", h("a", { href: "#/events" }, "Back to events")));
  const params = pattern.exec(location.hash).slice(1).map(decodeURIComponent);
  try {
    const cleanup = await render(view, params, { onLive, isCurrent });
    if (isCurrent()) dispose = cleanup;
    else if (typeof cleanup === "function") cleanup();
  } catch (error) {
    if (!isCurrent()) return;
    mount(view, h("div", { class: "card pad" }, h("h1", {}, "Something went wrong"), h("p", { class: "muted" }, error.message)));
  }
}

window.addEventListener("hashchange", route);
connectLive();
route();
api("/session").then(({ adminToken }) => (document.getElementById("sign-out").hidden = !adminToken), () => {});
