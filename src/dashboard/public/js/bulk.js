// @ts-check
// Bulk replay, retry and cancel: the count first (a dry run on the server), a confirmation, then
// the background job's progress, polled until it ends. The job runs on the workers: closing the
// dialog or the page does not stop it (the audit log and GET /api/bulk keep it).
import { api } from "./api.js";
import { errorMessage, h, mount, toast } from "./dom.js";

/**
 * @typedef {{ kind: "replay", q?: string, since: number } | { kind: "retry", functionId: string, since: number } | { kind: "cancel", functionId: string, since?: number, if?: string }} BulkRequest
 * @typedef {{ phase: string, total: number, done: number, ok: number, skipped: number, failed: number, errors: string[] }} BulkProgress
 * @typedef {{ id: string, state: string, description: string, progress?: BulkProgress, failedReason?: string }} BulkJob
 */

const VERBS = { replay: ["Replay", "replayed"], retry: ["Retry", "retried"], cancel: ["Cancel", "cancelled"] };
const NOUNS = { replay: "event", retry: "failed run", cancel: "run" };

/**
 * Opens the dialog for a request; `onDone` runs once the job has ended (the page reloads its list).
 * @param {BulkRequest} request @param {{ onDone?: () => void, filter?: HTMLElement }} [options] `filter`: an extra field (cancel's `if`) read before counting
 */
export function openBulkDialog(request, { onDone, filter } = {}) {
  const [verb, done] = VERBS[request.kind];
  const body = h("div", { class: "bulk-body" });
  const dialog = h(
    "dialog",
    { class: "dialog bulk", id: "bulk-dialog", onclose: () => dialog.remove() },
    h("h2", { style: "margin-top:0" }, `${verb} in bulk`),
    filter ?? null,
    body,
  );
  document.body.append(dialog);
  dialog.showModal();
  const close = h("button", { onclick: () => dialog.close() }, "Close");

  async function count() {
    const withFilter = readFilter(request, filter);
    mount(body, h("p", { class: "muted" }, "Counting…"));
    try {
      /** @type {{ count: number, capped: boolean, description: string, sample: Array<{ id: string, label: string }> }} */
      const preview = await api("/bulk/preview", { method: "POST", body: withFilter });
      const noun = `${NOUNS[request.kind]}${preview.count === 1 ? "" : "s"}`;
      mount(
        body,
        h("p", {}, `${preview.description.charAt(0).toUpperCase()}${preview.description.slice(1)}.`),
        h(
          "p",
          { id: "bulk-count", dataset: { count: String(preview.count) } },
          h("strong", {}, `${preview.capped ? "More than " : ""}${preview.count} ${noun}`),
          preview.capped
            ? " match: narrow the selection (at most 10,000 at once)."
            : ` match${preview.count === 1 ? "es" : ""}; the first few:`,
        ),
        preview.sample.length
          ? h(
              "ul",
              { class: "bulk-sample" },
              preview.sample.map((item) =>
                h("li", {}, h("code", {}, item.id), " ", h("span", { class: "muted" }, item.label)),
              ),
            )
          : null,
        h(
          "div",
          { class: "toolbar" },
          filter ? h("button", { onclick: count }, "Count again") : null,
          h(
            "button",
            {
              id: "bulk-confirm",
              class: request.kind === "cancel" ? "danger" : "primary",
              disabled: preview.count === 0 || preview.capped,
              onclick: () => start(withFilter),
            },
            `${verb} ${preview.count} ${noun}`,
          ),
          close,
        ),
      );
    } catch (error) {
      mount(
        body,
        h("p", { class: "form-error" }, errorMessage(error)),
        h("div", { class: "toolbar" }, filter ? h("button", { onclick: count }, "Count again") : null, close),
      );
    }
  }

  /** @param {BulkRequest} confirmed */
  async function start(confirmed) {
    try {
      /** @type {{ id: string }} */
      const { id } = await api("/bulk", { method: "POST", body: confirmed });
      filter?.remove();
      await follow(id);
    } catch (error) {
      toast(errorMessage(error), "error");
    }
  }

  /** @param {string} id */
  async function follow(id) {
    for (;;) {
      if (!dialog.isConnected) return;
      /** @type {{ job: BulkJob }} */
      const { job } = await api(`/bulk/${id}`);
      const progress = job.progress ?? {
        phase: "waiting",
        total: 0,
        done: 0,
        ok: 0,
        skipped: 0,
        failed: 0,
        errors: [],
      };
      const ended = job.state === "completed" || job.state === "failed";
      const share = progress.total ? Math.round((progress.done / progress.total) * 100) : 0;
      mount(
        body,
        h("p", {}, `${job.description.charAt(0).toUpperCase()}${job.description.slice(1)}.`),
        h(
          "div",
          { class: "progress", role: "progressbar", "aria-valuenow": share, "aria-valuemin": 0, "aria-valuemax": 100 },
          h("span", { style: `width:${share}%` }),
        ),
        h(
          "p",
          {
            id: "bulk-progress",
            dataset: { state: job.state, done: String(progress.done), total: String(progress.total) },
          },
          ended
            ? `Done: ${progress.ok} ${done}, ${progress.skipped} skipped, ${progress.failed} failed.`
            : `${progress.phase === "selecting" ? "Selecting…" : `${progress.done} of ${progress.total}`} (${progress.ok} ${done}, ${progress.skipped} skipped, ${progress.failed} failed)`,
        ),
        job.failedReason ? h("p", { class: "form-error" }, job.failedReason) : null,
        progress.errors.length
          ? h(
              "ul",
              { class: "bulk-sample" },
              progress.errors.map((error) => h("li", { class: "muted" }, error)),
            )
          : null,
        h("div", { class: "toolbar" }, close),
      );
      if (ended) return onDone?.();
      await new Promise((resolve) => setTimeout(resolve, 400));
    }
  }
  void count();
}

/** The request with the dialog's extra field, if it has one (cancel's `if`). @param {BulkRequest} request @param {HTMLElement | undefined} filter */
function readFilter(request, filter) {
  const input = /** @type {HTMLInputElement | null} */ (filter?.querySelector("input") ?? null);
  const value = input?.value.trim();
  return request.kind === "cancel" && value ? { ...request, if: value } : request;
}
