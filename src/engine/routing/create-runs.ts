import { promoteRunJob, runJobOptions, type RunJobData } from "../../queue/run-jobs.ts";
import type { EngineContext } from "../store/engine-context.ts";
import type { RouteRunResult } from "../store/lua-scripts.ts";
import type { NewRun, RouteWrite } from "../store/run-ledger.ts";
import { waiterField } from "../store/waiters.ts";

/**
 * Creates runs and starts them: one lua/route-event.lua call creates each run once and decides
 * its flow control (idempotency, rate limit, singleton, throttle), then one addBulk enqueues the
 * jobs of the runs to start (delayed to their throttle slot or future time). A run created with
 * `startNow` gets no job: it is answered in `startedNow`, stored running, for the caller to execute
 * (execution/execute-started-run.ts). The router calls this for an event (with its log entry and
 * waiters), a debounce and a batch for the run they release.
 */
export async function createRuns(
  ctx: EngineContext,
  runs: readonly NewRun[],
  write: Omit<RouteWrite, "runs"> = {},
): Promise<{
  waiters: Record<string, string>;
  waiterPaths: string[];
  results: RouteRunResult[];
  startedNow: NewRun[];
}> {
  const now = Date.now();
  // cancelOn waiters go in the same round trip as the script, unless flow control may skip the run.
  const eager = runs.filter((run) => !mayNotStart(run));
  const [{ waiters, waiterPaths, runs: results }] = await Promise.all([
    ctx.ledger.route({ ...write, runs }),
    ...eager.map((run) => registerCancels(ctx, run)),
  ]);
  const late = runs.filter(
    (run, i) => mayNotStart(run) && ["created", "queued"].includes((results[i] as RouteRunResult).result),
  );
  await Promise.all(late.map((run) => registerCancels(ctx, run)));

  const startedNow: NewRun[] = [];
  const jobs = runs.flatMap((run, i) => {
    const { result, startAt } = results[i] as RouteRunResult;
    if (result === "created" && run.startNow) {
      startedNow.push(run);
      return [];
    }
    if (result !== "created" && result !== "queued" && result !== "cancelled") return [];
    return [runJobFor(ctx, run, result === "cancelled" ? 0 : startAt - now)];
  });
  if (jobs.length > 0) await ctx.runsQueue.addBulk(jobs);
  await Promise.all(runs.map((run, i) => report(ctx, run, results[i] as RouteRunResult)));
  return { waiters, waiterPaths, results, startedNow };
}

/** A run's job on the "runs" queue, due in `delayMs`: what the executor needs to load the run. */
export function runJobFor(ctx: EngineContext, run: NewRun, delayMs: number) {
  const data: RunJobData = {
    runId: run.id,
    functionId: run.functionId,
    ...(run.eventStored ? { eventId: run.event.id } : {}),
  };
  return { name: run.functionId, data, opts: runJobOptions(run.id, delayMs, ctx.options.retentionMs) };
}

/** A run that flow control may skip gets its cancelOn waiters only once it exists. */
function mayNotStart(run: NewRun): boolean {
  return (
    run.flow?.gate === true ||
    run.idempotencyKey !== undefined ||
    run.flow?.rateLimit !== undefined ||
    run.flow?.singleton?.mode === "skip"
  );
}

/** Counts and logs what flow control did, and wakes a run the singleton cancelled so it winds up. */
async function report(ctx: EngineContext, run: NewRun, { result, detail }: RouteRunResult): Promise<void> {
  const fields = { functionId: run.functionId, runId: run.id, eventId: run.event.id };
  if (result === "rate-limited" || result === "singleton-skipped") {
    const reason = result === "rate-limited" ? "rate_limit" : "singleton";
    ctx.metrics?.runsSkipped.inc({ function: run.functionId, reason });
    ctx.logger.info(
      { ...fields, reason, activeRunId: detail },
      result === "rate-limited" ? "run skipped: rate limited" : "run skipped: its singleton run is active",
    );
  } else if (result === "cancelled") {
    ctx.logger.info(fields, "run cancelled: its throttle slot is after its timeouts.start deadline");
  } else if (result === "created" && detail) {
    ctx.logger.info({ ...fields, cancelledRunId: detail }, "singleton: the active run is cancelled for the new one");
    await promoteRunJob(ctx.runsQueue, detail);
  }
}

/** cancelOn waiters are registered with the run, so a queued or delayed run is cancellable too. */
async function registerCancels(ctx: EngineContext, run: NewRun): Promise<void> {
  const fn = ctx.registry.get(run.functionId);
  if (!fn || run.flow?.gate) return;
  const startsAt = Math.max(run.createdAt, run.scheduledFor ?? 0);
  await Promise.all(
    fn.cancelOn.map(async (cancel, index) => {
      const base = {
        kind: "cancel" as const,
        runId: run.id,
        expiresAt: startsAt + (cancel.timeoutMs ?? ctx.options.retentionMs),
      };
      const spec = { eventName: cancel.event, field: waiterField(base, index), match: cancel.match, if: cancel.if };
      const { result } = await ctx.waiters.register(spec, run.event, base);
      if (result === "full")
        ctx.logger.error(
          { runId: run.id, functionId: run.functionId, cancelOn: cancel.event },
          "too many cancelOn waiters with an `if` and no `match` for this event: this run is not cancellable by it (give the cancelOn a match)",
        );
    }),
  );
}
