// Small DOM helpers: the dashboard is plain ES modules, so these stand in for a framework.

/** h("a", { href, onclick }, "text", child) → element. Text is always set as text, never as HTML. */
export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) element.addEventListener(key.slice(2), value);
    else if (key === "class") element.className = value;
    else if (key === "dataset") Object.assign(element.dataset, value);
    else element.setAttribute(key, value === true ? "" : String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function mount(target, ...children) {
  target.replaceChildren();
  append(target, children);
}

const STATUS_WORDS = { retrying: "Retrying", completed: "Completed", running: "Running", queued: "Queued", sleeping: "Sleeping", waiting: "Waiting", failed: "Failed", cancelled: "Cancelled" };

export function statusBadge(status) {
  const word = STATUS_WORDS[status] ?? status ?? "unknown";
  return h("span", { class: `badge s-${status}`, "data-status": status }, word);
}

export function ago(ms) {
  if (!ms) return "";
  const seconds = Math.round((Date.now() - ms) / 1000);
  if (seconds < 0) return `in ${duration(-seconds * 1000)}`;
  if (seconds < 5) return "just now";
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)}h ago`;
  return `${Math.floor(seconds / 86400)}d ago`;
}

export function clock(ms) {
  if (!ms) return "—";
  const date = new Date(ms);
  const today = new Date().toDateString() === date.toDateString();
  const time = date.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });
  return today ? time : `${date.toLocaleDateString(undefined, { month: "short", day: "numeric" })} ${time}`;
}

export function duration(ms) {
  if (ms === undefined || ms === null || Number.isNaN(ms)) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 59_950) return `${(ms / 1000).toFixed(ms < 9_995 ? 2 : 1)} s`;
  // Two units at most, rounded as a whole first so 2d 23.9h reads 3d, not "2d 24h".
  for (const [big, small, bigName, smallName] of [[86_400_000, 3_600_000, "d", "h"], [3_600_000, 60_000, "h", "m"], [60_000, 1000, "m", "s"]]) {
    const rounded = Math.round(ms / small) * small;
    if (rounded < big) continue;
    const whole = Math.floor(rounded / big);
    const rest = Math.round((rounded % big) / small);
    return rest ? `${whole}${bigName} ${rest}${smallName}` : `${whole}${bigName}`;
  }
  return `${Math.round(ms / 1000)} s`;
}

export function shortId(id) {
  return id && id.length > 14 ? `${id.slice(0, 6)}…${id.slice(-6)}` : id ?? "";
}

/** Pretty JSON with colour, built from text nodes so event data can never inject markup. */
export function json(value, extraClass = "") {
  const text = JSON.stringify(value, null, 2) ?? "undefined";
  const pre = h("pre", { class: `json ${extraClass}` });
  const token = /("(?:\\.|[^"\\])*")(\s*:)?|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|\b(true|false|null)\b/g;
  let last = 0;
  for (const match of text.matchAll(token)) {
    pre.append(text.slice(last, match.index));
    const [whole, string, colon, number, literal] = match;
    if (string) {
      pre.append(h("span", { class: colon ? "j-key" : "j-str" }, string));
      if (colon) pre.append(colon);
    } else if (number) pre.append(h("span", { class: "j-num" }, number));
    else if (literal) pre.append(h("span", { class: "j-lit" }, literal));
    last = match.index + whole.length;
  }
  pre.append(text.slice(last));
  return pre;
}

/** A stored error ({ name, message, stack }): the message up front, the stack folded away. */
export function errorBox(error) {
  return h("div", { class: "error-box" },
    h("div", { class: "error-message" }, h("strong", {}, error.name ?? "Error"), ": ", error.message ?? JSON.stringify(error)),
    error.stack ? h("details", {}, h("summary", {}, "Stack trace"), h("pre", { class: "stack" }, error.stack)) : null);
}

export function toast(message, kind = "info") {
  const element = h("div", { class: `toast ${kind}` }, message);
  document.getElementById("toasts").append(element);
  setTimeout(() => element.remove(), kind === "error" ? 6000 : 3500);
}

export function pageHead(title, sub, ...actions) {
  return h("div", { class: "page-head" }, h("div", {}, h("h1", {}, title), sub ? h("div", { class: "sub" }, sub) : null), h("div", { class: "toolbar" }, actions));
}

/** A table row that opens `href`, by mouse or keyboard (Tab to it, Enter). */
export function linkRow(href, attrs, ...cells) {
  const go = () => (location.hash = href);
  return h("tr", { ...attrs, tabindex: 0, role: "link", onclick: go, onkeydown: (event) => event.key === "Enter" && go() }, ...cells);
}

/**
 * Coalesces bursts: `schedule()` runs `fn` once, `ms` after the first call of a burst, however
 * many calls follow (a busy bridge sends many live messages; each view refetches at most that often).
 */
export function coalesce(fn, ms) {
  let timer;
  return {
    schedule() {
      timer ??= setTimeout(() => {
        timer = undefined;
        Promise.resolve(fn()).catch(() => {});
      }, ms);
    },
    cancel: () => clearTimeout(timer),
  };
}

export function emptyRow(columns, text) {
  return h("tr", {}, h("td", { colspan: columns, class: "empty" }, text));
}
