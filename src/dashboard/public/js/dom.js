// @ts-check
// Small DOM helpers: the dashboard is plain ES modules, so these stand in for a framework.
import { ago } from "./format.js";
import { statusLook } from "./statuses.js";

/** @typedef {Node | string | number | boolean | null | undefined | Children} Child `false`, null and undefined render nothing. */
/** @typedef {Child[]} Children Apart, because a JSDoc alias may not name itself. */
/** @typedef {Record<string, unknown>} Attrs `onclick: fn` listens, `class` and `dataset` set those, the rest are attributes. */

/**
 * h("a", { href, onclick }, "text", child) → element. Text is always set as text, never as HTML.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Attrs} [attrs]
 * @param {Child[]} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) element.addEventListener(key.slice(2), /** @type {EventListener} */ (value));
    else if (key === "class") element.className = String(value);
    else if (key === "dataset") Object.assign(element.dataset, value);
    else element.setAttribute(key, value === true ? "" : String(value));
  }
  append(element, children);
  return element;
}

/** @param {Element} element @param {Child[]} children */
function append(element, children) {
  for (const child of children) {
    if (Array.isArray(child)) append(element, child);
    else if (child !== undefined && child !== null && child !== false)
      element.append(child instanceof Node ? child : String(child));
  }
}

/** @param {Element} target @param {Child[]} children */
export function mount(target, ...children) {
  target.replaceChildren();
  append(target, children);
}

/** A run's or a step's status; `data-status` is what tests and scripts select on. @param {string} status */
export function statusBadge(status) {
  const { label, tone } = statusLook(status);
  return h("span", { class: `badge tone-${tone}`, "data-status": status }, label);
}

/** One label and value of a record's details (a `dl.meta`). @param {string} label @param {Child} value */
export function meta(label, value) {
  return h("div", {}, h("dt", {}, label), h("dd", {}, value));
}

/**
 * A name (`clerk/user.created`, `bridge-onboarding-email`) with a line break opportunity (`<wbr>`)
 * after each `/`, `.` and `-`: a narrow screen breaks it between its parts, never mid-word
 * (`clerk/u ser.cre ated` at 390 px). The text, as read or copied, is unchanged.
 * @param {string} name
 */
export function breakable(name) {
  return name.split(/(?<=[/.-])/).flatMap((part, index) => (index === 0 ? [part] : [h("wbr"), part]));
}

/**
 * Tells the stylesheet how wide `input`'s whole placeholder is in its own font (`--placeholder-width`,
 * used by `.search`), so the hint is not cut ("data.id = …, an em") where there is room for it.
 * Measured, not guessed from its length: fonts differ from one system to the next. Call it once
 * the input is in the page.
 * @param {HTMLInputElement} input
 */
export function fitPlaceholder(input) {
  const context = document.createElement("canvas").getContext("2d");
  if (!context || !input.placeholder) return;
  const style = getComputedStyle(input);
  context.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  const edges = [style.paddingLeft, style.paddingRight, style.borderLeftWidth, style.borderRightWidth].reduce(
    (sum, value) => sum + (parseFloat(value) || 0),
    0,
  );
  input.style.setProperty(
    "--placeholder-width",
    `${Math.ceil(context.measureText(input.placeholder).width + edges + 2)}px`,
  );
}

/**
 * Pretty JSON with colour, built from text nodes so event data can never inject markup.
 * @param {unknown} value
 */
export function json(value) {
  const text = JSON.stringify(value, null, 2) ?? "undefined";
  const pre = h("pre", { class: "json" });
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

/**
 * A stored error: the message up front, the stack folded away.
 * @param {import("./api.js").StoredError} error
 */
export function errorBox(error) {
  return h(
    "div",
    { class: "error-box" },
    h(
      "div",
      { class: "error-message" },
      h("strong", {}, error.name ?? "Error"),
      ": ",
      error.message ?? JSON.stringify(error),
    ),
    error.stack ? h("details", {}, h("summary", {}, "Stack trace"), h("pre", { class: "stack" }, error.stack)) : null,
  );
}

/** What a caught value says: `catch` hands over anything that was thrown. @param {unknown} error */
export const errorMessage = (error) => (error instanceof Error ? error.message : String(error));

/** @param {string} message @param {"info" | "error"} [kind] */
export function toast(message, kind = "info") {
  const element = h("div", { class: `toast ${kind}` }, message);
  document.getElementById("toasts")?.append(element);
  setTimeout(() => element.remove(), kind === "error" ? 6000 : 3500);
}

/** @param {Child} title @param {Child} sub @param {Child[]} actions */
export function pageHead(title, sub, ...actions) {
  return h(
    "div",
    { class: "page-head" },
    h("div", {}, h("h1", {}, title), sub ? h("div", { class: "sub" }, sub) : null),
    h("div", { class: "toolbar" }, actions),
  );
}

/**
 * A table row that opens `href`, by mouse or keyboard (Tab to it, Enter).
 * @param {string} href @param {Attrs} attrs @param {Child[]} cells
 */
export function linkRow(href, attrs, ...cells) {
  const go = () => (location.hash = href);
  /** @param {KeyboardEvent} event */
  const onkeydown = (event) => event.key === "Enter" && go();
  return h("tr", { ...attrs, tabindex: 0, role: "link", onclick: go, onkeydown }, ...cells);
}

/**
 * Coalesces bursts: `schedule()` runs `fn` once, `ms` after the first call of a burst, however
 * many calls follow (a busy bridge sends many live messages; each view refetches at most that often).
 * @param {() => unknown} fn @param {number} ms
 */
export function coalesce(fn, ms) {
  /** @type {ReturnType<typeof setTimeout> | undefined} */
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

/**
 * A button that copies `text` (an id, a payload). The clipboard API needs a secure context
 * (https, or localhost); elsewhere a hidden textarea and the older copy command stand in.
 * @param {string} text @param {string} [label] what is copied, for the button's title
 */
export function copyButton(text, label = "value") {
  const copy = async () => {
    try {
      if (!navigator.clipboard) throw new Error("no clipboard API");
      await navigator.clipboard.writeText(text);
    } catch {
      const area = h("textarea", { style: "position:fixed;opacity:0", "aria-hidden": "true" }, text);
      document.body.append(area);
      area.select();
      document.execCommand("copy");
      area.remove();
    }
    toast(`Copied ${label}`);
  };
  /** @param {MouseEvent} event the row under the button must not open */
  const onclick = (event) => {
    event.stopPropagation();
    void copy();
  };
  return h(
    "button",
    {
      type: "button",
      class: "copy",
      title: `Copy ${label}`,
      "aria-label": `Copy ${label}`,
      dataset: { copy: text },
      onclick,
    },
    copyIcon(),
  );
}

/** Two overlapping sheets, drawn: no icon font, and every system font lacks some copy glyph. */
function copyIcon() {
  const SVG = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(SVG, "svg");
  /** @param {Element} element @param {Record<string, string>} attributes */
  const set = (element, attributes) =>
    Object.entries(attributes).forEach(([name, value]) => element.setAttribute(name, value));
  set(svg, {
    viewBox: "0 0 16 16",
    width: "12",
    height: "12",
    fill: "none",
    stroke: "currentColor",
    "stroke-width": "1.6",
    "aria-hidden": "true",
  });
  const sheet = document.createElementNS(SVG, "rect");
  set(sheet, { x: "5.5", y: "5.5", width: "8.5", height: "8.5", rx: "1.5" });
  const behind = document.createElementNS(SVG, "path");
  behind.setAttribute("d", "M10.5 3.5v-1a1 1 0 0 0-1-1h-7a1 1 0 0 0-1 1v7a1 1 0 0 0 1 1h1");
  svg.append(sheet, behind);
  return svg;
}

/** "3m ago" with the exact time on hover. @param {number | undefined} ms */
export function when(ms) {
  return h("span", { class: "when", title: ms ? new Date(ms).toISOString() : "" }, ago(ms) || "—");
}

/** @param {number} columns @param {string} text */
export function emptyRow(columns, text) {
  return h("tr", {}, h("td", { colspan: columns, class: "empty" }, text));
}
