import type { EngineContext } from "../store/engine-context.ts";
import { evaluateKey } from "../definition/expressions.ts";
import { settleInvoker } from "./invoke-function.ts";
import { releaseSingletonScript } from "../store/lua-scripts.ts";
import type { RunState } from "../store/run-state.ts";
import { releaseRunSignals } from "./signals.ts";
import { emitSystemEvents, type RunEnd } from "./system-events.ts";
import { locateWaiter, waiterField } from "../store/waiters.ts";

/**
 * What every end of a run does besides its status: emit the system events, then drop the run's
 * waiters (its cancelOn entries and any wait left open), free the signals it waits on, give back
 * its singleton key, and settle the step that invoked it, if any. Idempotent, so a crash in the
 * middle is repaired by doing it again.
 */
export async function windUpRun(ctx: EngineContext, run: RunState, end: RunEnd): Promise<void> {
  // Counted here, where every end passes; a wind-up repeated after a crash may count twice.
  ctx.metrics?.runs.inc({ function: run.functionId, status: end.kind });
  await emitSystemEvents(ctx.accept, ctx.registry, run, end);
  const fn = ctx.registry.get(run.functionId);
  const cancels = (fn?.cancelOn ?? []).map((cancel, index) =>
    locateWaiter(
      ctx.keys,
      {
        eventName: cancel.event,
        field: waiterField({ kind: "cancel", runId: run.id }, index),
        match: cancel.match,
        if: cancel.if,
      },
      run.event,
    ),
  );
  const waits = run.steps
    .filter((step) => step.op === "waitForEvent" && step.status === "waiting" && step.waiterKey)
    .map((step) => ({
      key: step.waiterKey as string,
      field: waiterField({ kind: "wait", runId: run.id, stepId: step.id }),
    }));
  await Promise.all([
    ctx.waiters.remove([...cancels, ...waits]),
    releaseRunSignals({ redis: ctx.redis, keys: ctx.keys, runsQueue: ctx.runsQueue, sealer: ctx.sealer }, run),
    releaseSingleton(ctx, run),
    settleInvoker(ctx, run, end),
  ]);
}

/** A holder that ended without this (a crash) is recognised as ended by the next run anyway. */
async function releaseSingleton(ctx: EngineContext, run: RunState): Promise<void> {
  const singleton = ctx.registry.get(run.functionId)?.flow.singleton;
  if (!singleton) return;
  const key = singleton.key === undefined ? "" : evaluateKey(singleton.key, { event: run.event });
  if (key !== undefined)
    await releaseSingletonScript(ctx.redis, { singleton: ctx.keys.singleton(run.functionId, key) }, { runId: run.id });
}
