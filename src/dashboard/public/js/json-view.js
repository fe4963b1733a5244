// @ts-check
// Collapsible JSON: objects and arrays fold (click their first line); values keep json()'s
// colours. Built from text nodes only, so a payload can never inject markup.
import { copyButton, h } from "./dom.js";

/** Levels open at first: a Clerk user's top level and one below; deeper ones start folded. */
const OPEN_DEPTH = 2;

/**
 * A JSON value as a tree, with a copy button for the whole of it.
 * @param {unknown} value @param {{ id?: string, label?: string }} [options]
 */
export function jsonView(value, { id, label = "JSON" } = {}) {
  return h(
    "div",
    { class: "json-view", id },
    copyButton(JSON.stringify(value, null, 2) ?? "undefined", label),
    h("div", { class: "jtree" }, node(value, undefined, 0, true)),
  );
}

/**
 * @param {unknown} value @param {string | undefined} key @param {number} depth @param {boolean} last
 * @returns {HTMLElement}
 */
function node(value, key, depth, last) {
  const name = key === undefined ? null : [h("span", { class: "j-key" }, JSON.stringify(key)), ": "];
  const comma = last ? "" : ",";
  if (value === null || typeof value !== "object" || Object.keys(value).length === 0) {
    return h("div", { class: "j-line" }, name, scalar(value), comma);
  }
  const array = Array.isArray(value);
  const entries = array
    ? value.map((item) => /** @type {[string | undefined, unknown]} */ ([undefined, item]))
    : Object.entries(value);
  const [open, close] = array ? ["[", "]"] : ["{", "}"];
  const count = `${entries.length} ${array ? (entries.length === 1 ? "item" : "items") : entries.length === 1 ? "key" : "keys"}`;
  return h(
    "details",
    { class: "j-node", open: depth < OPEN_DEPTH },
    h(
      "summary",
      {},
      name,
      open,
      h("span", { class: "j-folded" }, `…${close}${comma} `, h("span", { class: "j-count" }, count)),
    ),
    h(
      "div",
      { class: "j-children" },
      entries.map(([childKey, child], index) => node(child, childKey, depth + 1, index === entries.length - 1)),
    ),
    h("div", { class: "j-line" }, close, comma),
  );
}

/** @param {unknown} value */
function scalar(value) {
  if (typeof value === "string") return h("span", { class: "j-str" }, JSON.stringify(value));
  if (typeof value === "number") return h("span", { class: "j-num" }, String(value));
  if (typeof value === "boolean" || value === null) return h("span", { class: "j-lit" }, String(value));
  return h("span", { class: "j-lit" }, Array.isArray(value) ? "[]" : value === undefined ? "undefined" : "{}");
}
