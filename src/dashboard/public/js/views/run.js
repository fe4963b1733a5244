// @ts-check
// One run: its status, the event that started it, and the step timeline with outputs and errors.
import { api } from "../api.js";
import { ago, clock, duration, shortId } from "../format.js";
import {
  breakable,
  coalesce,
  copyButton,
  errorBox,
  errorMessage,
  h,
  json,
  meta,
  mount,
  pageHead,
  statusBadge,
  toast,
} from "../dom.js";
import { jsonView } from "../json-view.js";
import { delivery } from "./step-delivery.js";
import { isBusy, isFinal, statusLook } from "../statuses.js";

/** @param {HTMLElement} view @param {string[]} params @param {import("../main.js").ViewContext} context */
export async function renderRun(view, [id = ""], { onLive, isCurrent }) {
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let poll;
  async function draw() {
    /** @type {{ run: import("../api.js").RunRecord }} */
    const { run } = await api(`/runs/${encodeURIComponent(id)}`);
    if (!isCurrent()) return;
    /** @param {"cancel" | "retry"} action */
    const act = (action) => async () => {
      try {
        await api(`/runs/${encodeURIComponent(run.id)}/${action}`, { method: "POST", body: {} });
        toast(action === "cancel" ? "Run cancelled" : "Run retried");
        await draw();
      } catch (error) {
        toast(errorMessage(error), "error");
      }
    };
    // Steps inside one job send no live message: poll while the run is busy.
    clearTimeout(poll);
    if (isBusy(run.status)) poll = setTimeout(() => redraw.schedule(), 1000);
    const steps = run.steps ?? [];
    const started = run.startedAt ?? run.createdAt;
    const span = Math.max(1, (run.endedAt ?? Date.now()) - started);
    // A redraw (every second while the run is busy) must not close what the operator opened.
    const opened = new Set([...view.querySelectorAll("details[open]")].map(detailsKey));
    mount(
      view,
      h("div", { class: "crumbs" }, h("a", { href: "#/runs" }, "Runs"), " / ", shortId(run.id)),
      pageHead(
        h(
          "span",
          { style: "display:flex;gap:12px;align-items:center" },
          h("span", { class: "name", style: "font-size:20px" }, breakable(run.functionId)),
          statusBadge(run.status),
        ),
        h("span", { class: "id" }, run.id, copyButton(run.id, "run id")),
        isFinal(run.status)
          ? null
          : h("button", { id: "cancel-run", class: "danger", onclick: act("cancel") }, "✕ Cancel run"),
        run.status === "failed"
          ? h("button", { id: "retry-run", class: "primary", onclick: act("retry") }, "↻ Retry")
          : null,
      ),
      h(
        "div",
        { class: "card pad" },
        h(
          "dl",
          { class: "meta" },
          meta(
            "Event",
            h(
              "a",
              { class: "mono", href: `#/events/${encodeURIComponent(run.eventId)}` },
              run.eventName ?? shortId(run.eventId),
            ),
          ),
          meta("Started", `${clock(started)} (${ago(started)})`),
          run.endedAt ? meta("Ended", clock(run.endedAt)) : null,
          meta(
            "Duration",
            run.endedAt ? duration(run.endedAt - started) : h("span", { class: "muted" }, "in progress"),
          ),
          run.scheduledFor && run.status === "queued"
            ? meta("Scheduled for", `${clock(run.scheduledFor)} (${ago(run.scheduledFor)})`)
            : null,
          run.cancelReason ? meta("Cancelled", run.cancelReason) : null,
          run.parentRunId
            ? meta(
                "Invoked by",
                h(
                  "a",
                  { class: "mono", href: `#/runs/${encodeURIComponent(run.parentRunId)}` },
                  `${shortId(run.parentRunId)} (step ${run.parentStepId ?? "?"})`,
                ),
              )
            : null,
          run.skipReason ? meta("Skipped", run.skipReason) : null,
        ),
      ),
      h("h2", {}, `Steps (${steps.length})`),
      steps.length === 0
        ? h(
            "div",
            { class: "card empty" },
            isFinal(run.status) ? "This run ended without running a step." : "No step has run yet.",
          )
        : h(
            "ol",
            { class: "timeline", id: "steps" },
            steps.map((step) => stepItem(step, started, span)),
          ),
      run.error ? [h("h2", {}, "Error"), errorBox(run.error)] : null,
      run.output !== undefined && run.output !== null
        ? [h("h2", {}, "Output"), jsonView(run.output, { label: "output" })]
        : null,
    );
    for (const details of view.querySelectorAll("details")) if (opened.has(detailsKey(details))) details.open = true;
  }

  const redraw = coalesce(() => draw(), 150);
  const unsubscribe = onLive((message) => {
    if (message.type === "run" && message.runId === id) redraw.schedule();
  });
  await draw();
  return () => {
    unsubscribe();
    redraw.cancel();
    clearTimeout(poll);
  };
}

/** Which details element this is, across redraws: its step (if any) and its summary. @param {Element} details */
function detailsKey(details) {
  const step = details.closest("[data-step-id]");
  return `${step instanceof HTMLElement ? step.dataset.stepId : ""}|${details.querySelector("summary")?.textContent ?? ""}`;
}

/** @type {Record<string, string | undefined>} */
const OPS = {
  run: "step.run",
  sleep: "step.sleep",
  waitForEvent: "step.waitForEvent",
  sendEvent: "step.sendEvent",
  invoke: "step.invoke",
  waitForSignal: "step.waitForSignal",
  sendSignal: "step.sendSignal",
  fetch: "step.fetch",
};

/** @param {import("../api.js").StepRecord} step */
function waitsFor(step) {
  if (step.op === "invoke") return `the run of ${step.invoke?.functionId ?? "the invoked function"}`;
  if (step.op === "waitForSignal") return `signal ${step.signal ?? ""}`;
  return step.event ?? "an event";
}

/**
 * A step on the timeline; its bar sits where the step ran within the run's span.
 * @param {import("../api.js").StepRecord} step @param {number} runStart @param {number} span
 */
function stepItem(step, runStart, span) {
  const { tone, mark } = statusLook(step.status);
  const start = step.startedAt ?? runStart;
  const took = step.durationMs ?? (step.endedAt ? step.endedAt - start : undefined);
  const left = Math.min(100, Math.max(0, ((start - runStart) / span) * 100));
  const width = Math.min(100 - left, Math.max(0.5, ((took ?? 0) / span) * 100));
  return h(
    "li",
    { class: `step tone-${tone}`, dataset: { stepId: step.id, status: step.status } },
    h("span", { class: "marker" }, mark),
    h(
      "div",
      { class: "step-body" },
      h(
        "div",
        { class: "step-head" },
        h("span", { class: "name" }, breakable(step.name ?? step.id)),
        h("span", { class: "kind" }, OPS[step.op] ?? step.op),
        statusBadge(step.status),
        h(
          "span",
          { class: "right" },
          step.attempts > 1 ? h("span", { title: "attempts" }, `${step.attempts} attempts`) : null,
          step.wakeAt && (step.status === "sleeping" || step.status === "waiting")
            ? h(
                "span",
                { title: new Date(step.wakeAt).toISOString() },
                `${step.status === "waiting" ? `waits for ${waitsFor(step)}, times out` : "wakes"} ${ago(step.wakeAt)}`,
              )
            : null,
          step.retryAt && step.status === "retrying"
            ? h("span", { title: new Date(step.retryAt).toISOString() }, `retries ${ago(step.retryAt)}`)
            : null,
          h("span", { class: "mono" }, duration(took)),
        ),
      ),
      h("div", { class: "bar" }, h("span", { style: `left:${left}%;width:${width}%` })),
      step.invoke
        ? h(
            "div",
            { class: "muted" },
            "Invoked run ",
            h(
              "a",
              { class: "mono", href: `#/runs/${encodeURIComponent(step.invoke.runId)}` },
              shortId(step.invoke.runId),
            ),
            ` of ${step.invoke.functionId}`,
          )
        : null,
      delivery(step),
      step.error ? errorBox(step.error) : null,
      step.input !== undefined ? h("details", {}, h("summary", {}, "Input"), json(step.input)) : null,
      step.output !== undefined && step.output !== null
        ? h("details", {}, h("summary", {}, "Output"), json(step.output))
        : null,
    ),
  );
}
