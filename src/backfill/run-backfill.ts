import type { BackfillResource } from "./backfill-resources.ts";
import { BackfillError } from "./backfill-error.ts";
import { toBackfillEvent } from "./backfill-event.ts";
import { loadBackfillState, saveBackfillState, type BackfillState } from "./backfill-state.ts";
import type { ReadPage } from "./clerk-pages.ts";
import type { Intake } from "./intake.ts";
import { pageStart, planPage, START } from "./plan-page.ts";
import type { Progress } from "./progress.ts";

export interface BackfillRun {
  resource: BackfillResource;
  /** Records per page (Clerk takes 1 to 500). */
  limit: number;
  /** Read and count only: nothing is sent and the state file is left as it is. */
  dryRun: boolean;
  /** Ignore the saved cursor and start from the first record. */
  restart: boolean;
  statePath: string;
  /** Names the Clerk instance (API URL and a digest of the key): another's cursor is never resumed. */
  instance: string;
}

export interface BackfillDeps {
  readPage: ReadPage;
  /** Absent on a dry run. */
  intake?: Intake;
  progress: Progress;
  now?: () => number;
}

export interface BackfillSummary {
  /** Records sent by this run (counted, on a dry run). */
  sent: number;
  /** Records sent over every run of this backfill. */
  sentInAll: number;
  /** Pages read by this run, and how often it had to read a page again because records moved. */
  pages: number;
  rewinds: number;
  /** The offset this run resumed from, when it continued an unfinished backfill. */
  resumedFrom?: number;
  total: number;
  elapsedMs: number;
}

/**
 * Pages through the resource oldest first, and for each page: sends its new records to the
 * intake, waits for the acknowledgement, then records the cursor. A run stopped between two
 * steps resumes from the last recorded page, sending at most one page again (deduplicated by the
 * events' ids). Records created or changed while it runs reach the bridge through their own
 * webhooks; user-sync's ordering guard keeps whichever version is newest.
 */
export async function runBackfill(run: BackfillRun, deps: BackfillDeps): Promise<BackfillSummary> {
  const now = deps.now ?? Date.now;
  const resumed = run.restart ? undefined : await resumableState(run);
  let state: BackfillState = resumed ?? newState(run, new Date(now()).toISOString());
  const started = now();
  const summary: BackfillSummary = { sent: 0, sentInAll: state.sent, pages: 0, rewinds: 0, total: 0, elapsedMs: 0 };
  if (resumed) summary.resumedFrom = resumed.cursor.offset;

  let start = pageStart(state.cursor);
  for (;;) {
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
      ...(plan.last ? { finishedAt: at } : {}),
    };
    // Only once the intake acknowledged: the file never claims a page the bridge does not hold.
    if (!run.dryRun) await saveBackfillState(run.statePath, state);
    summary.sent += plan.fresh.length;
    summary.sentInAll = state.sent;
    summary.pages++;
    summary.elapsedMs = now() - started;
    deps.progress.update({
      done: state.sent,
      total: Math.max(summary.total, state.sent),
      doneThisRun: summary.sent,
      elapsedMs: summary.elapsedMs,
    });
    if (plan.last) break;
    start = pageStart(state.cursor);
  }
  deps.progress.finish();
  return summary;
}

/** The saved state when there is an unfinished backfill of this resource on this instance to resume. */
async function resumableState(run: BackfillRun): Promise<BackfillState | undefined> {
  const saved = await loadBackfillState(run.statePath);
  if (!saved) return undefined;
  if (saved.resource !== run.resource.name) {
    throw new BackfillError(
      `${run.statePath} holds a backfill of ${saved.resource}, not ${run.resource.name}: pass another --state`,
    );
  }
  // A finished backfill is not resumed: this run starts over, and what it sends again is deduplicated.
  if (saved.finishedAt) return undefined;
  if (saved.instance !== run.instance) {
    throw new BackfillError(
      `${run.statePath} was written for another Clerk instance (CLERK_SECRET_KEY or CLERK_API_URL changed): pass --restart to start over, or another --state`,
    );
  }
  return saved;
}

function newState(run: BackfillRun, at: string): BackfillState {
  return {
    version: 1,
    resource: run.resource.name,
    instance: run.instance,
    cursor: { ...START, lastIds: [] },
    sent: 0,
    pages: 0,
    startedAt: at,
    updatedAt: at,
  };
}
