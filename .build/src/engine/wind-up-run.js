import { evaluateKey } from "./expressions.js";
import { settleInvoker } from "./invoke-function.js";
import { releaseSingletonScript } from "./lua-scripts.js";
import { releaseRunSignals } from "./signals.js";
import { emitSystemEvents } from "./system-events.js";
import { locateWaiter, waiterField } from "./waiters.js";
async function windUpRun(ctx, run, end) {
  ctx.metrics?.runs.inc({ function: run.functionId, status: end.kind });
  await emitSystemEvents(ctx.accept, ctx.registry, run, end);
  const fn = ctx.registry.get(run.functionId);
  const cancels = (fn?.cancelOn ?? []).map(
    (cancel, index) => locateWaiter(ctx.keys, { eventName: cancel.event, field: waiterField({ kind: "cancel", runId: run.id }, index), match: cancel.match, if: cancel.if }, run.event)
  );
  const waits = run.steps.filter((step) => step.op === "waitForEvent" && step.status === "waiting" && step.waiterKey).map((step) => ({ key: step.waiterKey, field: waiterField({ kind: "wait", runId: run.id, stepId: step.id }) }));
  await Promise.all([
    ctx.waiters.remove([...cancels, ...waits]),
    releaseRunSignals({ redis: ctx.redis, keys: ctx.keys, runsQueue: ctx.runsQueue, sealer: ctx.sealer }, run),
    releaseSingleton(ctx, run),
    settleInvoker(ctx, run, end)
  ]);
}
async function releaseSingleton(ctx, run) {
  const singleton = ctx.registry.get(run.functionId)?.flow.singleton;
  if (!singleton) return;
  const key = singleton.key === void 0 ? "" : evaluateKey(singleton.key, { event: run.event });
  if (key !== void 0) await releaseSingletonScript(ctx.redis, ctx.keys.singleton(run.functionId, key), run.id);
}
export {
  windUpRun
};
