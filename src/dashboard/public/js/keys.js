// @ts-check
// Keyboard shortcuts, as in Gmail or GitHub: `/` search, `j`/`k` move, Enter open, `r` replay,
// `?` this list. Views opt in by marking elements: `[data-search]` (the page's search box),
// `[data-key="r"]` (the button `r` presses); `j`/`k` move among the rows of the page's tables.
import { h } from "./dom.js";

/** @type {Array<[string, string]>} */
const SHORTCUTS = [
  ["/", "Search this page"],
  ["j / k", "Next / previous row"],
  ["Enter", "Open the row"],
  ["r", "Replay the event"],
  ["?", "Show these shortcuts"],
  ["Esc", "Close a dialog, leave the search box"],
];

/** @param {KeyboardEvent} event */
function typing(event) {
  const target = /** @type {HTMLElement | null} */ (event.target);
  return target !== null && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
}

/** @param {1 | -1} step */
function moveRow(step) {
  const rows = /** @type {HTMLElement[]} */ ([...document.querySelectorAll("#view table.list tbody tr[tabindex]")]);
  if (rows.length === 0) return;
  const current = rows.indexOf(/** @type {HTMLElement} */ (document.activeElement));
  const next =
    rows[current === -1 ? (step === 1 ? 0 : rows.length - 1) : Math.min(rows.length - 1, Math.max(0, current + step))];
  next?.focus();
  next?.scrollIntoView({ block: "nearest" });
}

function showHelp() {
  const existing = /** @type {HTMLDialogElement | null} */ (document.getElementById("shortcuts"));
  if (existing) return existing.open ? existing.close() : existing.showModal();
  const dialog = h(
    "dialog",
    { id: "shortcuts", class: "dialog" },
    h("h2", { style: "margin-top:0" }, "Keyboard shortcuts"),
    h(
      "dl",
      { class: "shortcuts" },
      SHORTCUTS.map(([keys, what]) => h("div", {}, h("dt", {}, h("kbd", {}, keys)), h("dd", {}, what))),
    ),
    h("form", { method: "dialog", class: "toolbar" }, h("button", { class: "primary" }, "Close")),
  );
  document.body.append(dialog);
  dialog.showModal();
}

export function listenForShortcuts() {
  document.getElementById("shortcuts-hint")?.addEventListener("click", showHelp);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && typing(event)) return void (/** @type {HTMLElement} */ (event.target).blur());
    if (
      typing(event) ||
      event.ctrlKey ||
      event.metaKey ||
      event.altKey ||
      document.querySelector("dialog[open]:not(#shortcuts)")
    )
      return;
    const search = /** @type {HTMLInputElement | null} */ (document.querySelector("#view [data-search]"));
    if (event.key === "/" && search) {
      event.preventDefault();
      search.focus();
      search.select();
    } else if (event.key === "j" || event.key === "k") {
      moveRow(event.key === "j" ? 1 : -1);
    } else if (event.key === "?") {
      showHelp();
    } else {
      /** @type {HTMLElement | null} */ (
        document.querySelector(`#view [data-key="${CSS.escape(event.key)}"]`)
      )?.click();
    }
  });
}
