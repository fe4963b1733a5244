import { BackfillError } from "./backfill-error.js";
import { toBackfillEvent } from "./backfill-event.js";
import { loadBackfillState, saveBackfillState } from "./backfill-state.js";
import { pageStart, planPage, START } from "./plan-page.js";
async function runBackfill(run, deps) {
  const now = deps.now ?? Date.now;
  const resumed = run.restart ? void 0 : await resumableState(run);
  let state = resumed ?? newState(run, new Date(now()).toISOString());
  const started = now();
  const summary = { sent: 0, sentInAll: state.sent, pages: 0, rewinds: 0, total: 0, elapsedMs: 0 };
  if (resumed) summary.resumedFrom = resumed.cursor.offset;
  let start = pageStart(state.cursor);
  for (; ; ) {
    const page = await deps.readPage({ offset: start, limit: run.limit });
    summary.total = page.totalCount;
    const plan = planPage(state.cursor, { start, limit: run.limit, records: page.records });
    if (plan.kind === "rewind") {
      summary.rewinds++;
      start = plan.start;
      continue;
    }
    if (!run.dryRun && plan.fresh.length > 0) {
      await deps.intake?.send(plan.fresh.map((record) => toBackfillEvent(run.resource.eventName, record)));
    }
    const at = new Date(now()).toISOString();
    state = {
      ...state,
      cursor: plan.cursor,
      sent: state.sent + plan.fresh.length,
      pages: state.pages + 1,
      updatedAt: at,
      ...plan.last ? { finishedAt: at } : {}
    };
    if (!run.dryRun) await saveBackfillState(run.statePath, state);
    summary.sent += plan.fresh.length;
    summary.sentInAll = state.sent;
    summary.pages++;
    summary.elapsedMs = now() - started;
    deps.progress.update({ done: state.sent, total: Math.max(summary.total, state.sent), doneThisRun: summary.sent, elapsedMs: summary.elapsedMs });
    if (plan.last) break;
    start = pageStart(state.cursor);
  }
  deps.progress.finish();
  return summary;
}
async function resumableState(run) {
  const saved = await loadBackfillState(run.statePath);
  if (!saved) return void 0;
  if (saved.resource !== run.resource.name) {
    throw new BackfillError(`${run.statePath} holds a backfill of ${saved.resource}, not ${run.resource.name}: pass another --state`);
  }
  if (saved.finishedAt) return void 0;
  if (saved.instance !== run.instance) {
    throw new BackfillError(
      `${run.statePath} was written for another Clerk instance (CLERK_SECRET_KEY or CLERK_API_URL changed): pass --restart to start over, or another --state`
    );
  }
  return saved;
}
function newState(run, at) {
  return { version: 1, resource: run.resource.name, instance: run.instance, cursor: { ...START, lastIds: [] }, sent: 0, pages: 0, startedAt: at, updatedAt: at };
}
export {
  runBackfill
};
