import { promoteRunJob, runJobOptions } from "../queue/run-jobs.js";
import { digest } from "../redis/keys.js";
import { runIdFor } from "./run-id.js";
import { WAITING } from "./run-step.js";
const FUNCTION_INVOKED = "inngest/function.invoked";
async function beginInvoke(ctx, caller, run, waiting, request) {
  const target = resolveTarget(ctx.registry, caller, request.target);
  if (!target) {
    return { kind: "failed", error: { name: "Error", message: `step.invoke("${waiting.id}"): no function ${describe(request.target)} is registered on this bridge` } };
  }
  const event = invokedEvent(caller, run, waiting, target, request);
  const childRunId = runIdFor(target.id, event.id);
  const parent = { runId: run.id, stepId: waiting.id };
  const created = await ctx.ledger.invoke(run.id, { ...waiting, invoke: { functionId: target.id, runId: childRunId } }, {
    id: childRunId,
    functionId: target.id,
    event,
    createdAt: Date.now(),
    parent
  });
  if (created === "created" || created === "queued") {
    const data = { runId: childRunId, functionId: target.id };
    await ctx.runsQueue.add(target.id, data, runJobOptions(childRunId, 0, ctx.options.retentionMs));
  }
  return WAITING;
}
function invokedEvent(caller, run, waiting, target, request) {
  const _inngest = {
    fn_id: target.id,
    correlation_id: `${run.id}.${waiting.id}`,
    ...caller.appId === void 0 ? {} : { source_app_id: caller.appId },
    source_fn_id: caller.id,
    source_run_id: run.id
  };
  return {
    // The step's start time tells apart a step begun again after an operator's retry (which
    // deletes failed steps): that one invokes a fresh run; replays of one step keep the same.
    id: `${run.id}.invoke.${digest(`${waiting.id}
${waiting.startedAt}`)}`,
    name: FUNCTION_INVOKED,
    data: { ...request.data, _inngest },
    ...request.user === void 0 ? {} : { user: request.user },
    ...request.v === void 0 ? {} : { v: request.v },
    ts: waiting.startedAt,
    receivedAt: waiting.startedAt,
    source: "invoke"
  };
}
function resolveTarget(registry, caller, target) {
  if (target.kind === "function") return registry.get(target.id);
  const app = target.appId ?? caller.appId;
  const full = app === void 0 ? void 0 : registry.get(`${app}-${target.functionId}`);
  if (full || target.appId !== void 0) return full;
  const named = registry.functions.filter((fn) => fn.localId === target.functionId);
  return registry.get(target.functionId) ?? (named.length === 1 ? named[0] : void 0);
}
function describe(target) {
  if (target.kind === "function") return `"${target.id}"`;
  return target.appId === void 0 ? `"${target.functionId}"` : `"${target.appId}-${target.functionId}"`;
}
async function settleInvoker(ctx, run, end) {
  if (run.parentRunId === void 0 || run.parentStepId === void 0) return;
  const waiting = await ctx.ledger.readStep(run.parentRunId, run.parentStepId);
  if (waiting?.status !== "waiting" || waiting.invoke?.runId !== run.id) return;
  const endedAt = Date.now();
  const ended = { ...waiting, endedAt, durationMs: endedAt - waiting.startedAt };
  const settled = end.kind === "completed" ? { ...ended, status: "completed", output: end.output ?? null } : { ...ended, status: "failed", error: end.kind === "failed" ? end.error : cancelledError(run, end.reason) };
  if (await ctx.ledger.resolveStep(run.parentRunId, settled, "waiting")) await promoteRunJob(ctx.runsQueue, run.parentRunId);
}
function cancelledError(run, reason) {
  return { name: "FunctionCancelledError", message: `the invoked run ${run.id} of "${run.functionId}" was cancelled${reason ? `: ${reason}` : ""}` };
}
export {
  FUNCTION_INVOKED,
  beginInvoke,
  settleInvoker
};
