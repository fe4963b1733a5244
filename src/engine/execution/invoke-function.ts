import { promoteRunJob, runJobOptions, type RunJobData } from "../../queue/run-jobs.ts";
import { digest } from "../../redis/keys.ts";
import type { EngineContext } from "../store/engine-context.ts";
import type { InvokeRequest, InvokeTarget } from "./invoke-step.ts";
import type { Registry } from "../definition/registry.ts";
import { runIdFor } from "../store/run-id.ts";
import type { RunState, SerializedError, StepState } from "../store/run-state.ts";
import { WAITING, type BeginResult } from "./run-step.ts";
import type { RunEnd } from "./system-events.ts";
import type { BridgeFunction, FunctionEvent } from "../definition/types.ts";

/** The event an invoked run gets, as Inngest names it. */
export const FUNCTION_INVOKED = "inngest/function.invoked";

/** Functions defined through a client carry their app id and their id within it (decision 1). */
type AppFunction = BridgeFunction & { appId?: string; localId?: string };

/**
 * step.invoke, executor side: start the target's run directly (no public event: the router and
 * its event-level flow control are not involved), registered with its parent. Its run id derives
 * from the invoking run and step (and the step's start), and it is created once (lua/route-event.lua) in the same MULTI
 * that stores the waiting step, so a retried or replayed step never starts it twice and a crash
 * cannot leave one without the other. Called again on every replay while the step waits: the
 * MULTI changes nothing then, but the job is re-added if the run is still queued (a crash between
 * the MULTI and the add would otherwise lose it).
 */
export async function beginInvoke(
  ctx: EngineContext,
  caller: BridgeFunction,
  run: RunState,
  waiting: StepState,
  request: InvokeRequest,
): Promise<BeginResult> {
  const target = resolveTarget(ctx.registry, caller, request.target);
  if (!target) {
    return {
      kind: "failed",
      error: {
        name: "Error",
        message: `step.invoke("${waiting.id}"): no function ${describe(request.target)} is registered on this bridge`,
      },
    };
  }
  const event = invokedEvent(caller, run, waiting, target, request);
  const childRunId = runIdFor(target.id, event.id);
  const parent = { runId: run.id, stepId: waiting.id };
  const created = await ctx.ledger.invoke(
    run.id,
    { ...waiting, invoke: { functionId: target.id, runId: childRunId } },
    {
      id: childRunId,
      functionId: target.id,
      event,
      createdAt: Date.now(),
      parent,
    },
  );
  if (created === "created" || created === "queued") {
    const data: RunJobData = { runId: childRunId, functionId: target.id };
    await ctx.runsQueue.add(target.id, data, runJobOptions(childRunId, 0, ctx.options.retentionMs));
  }
  return WAITING;
}

/** Inngest's invoke event: the data given, plus `_inngest` naming the target and the caller. */
function invokedEvent(
  caller: AppFunction,
  run: RunState,
  waiting: StepState,
  target: BridgeFunction,
  request: InvokeRequest,
): FunctionEvent {
  const _inngest = {
    fn_id: target.id,
    correlation_id: `${run.id}.${waiting.id}`,
    ...(caller.appId === undefined ? {} : { source_app_id: caller.appId }),
    source_fn_id: caller.id,
    source_run_id: run.id,
  };
  return {
    // The step's start time tells apart a step begun again after an operator's retry (which
    // deletes failed steps): that one invokes a fresh run; replays of one step keep the same.
    id: `${run.id}.invoke.${digest(`${waiting.id}\n${waiting.startedAt}`)}`,
    name: FUNCTION_INVOKED,
    data: { ...request.data, _inngest },
    ...(request.user === undefined ? {} : { user: request.user }),
    ...(request.v === undefined ? {} : { v: request.v }),
    ts: waiting.startedAt,
    receivedAt: waiting.startedAt,
    source: "invoke",
  };
}

/**
 * A function object is looked up by its full id; a reference by `<appId>-<functionId>` (the
 * caller's app when none is given, as Inngest does), then, without an app, by the bare id.
 */
function resolveTarget(registry: Registry, caller: AppFunction, target: InvokeTarget): BridgeFunction | undefined {
  if (target.kind === "function") return registry.get(target.id);
  const app = target.appId ?? caller.appId;
  const full = app === undefined ? undefined : registry.get(`${app}-${target.functionId}`);
  if (full || target.appId !== undefined) return full;
  const named = registry.functions.filter((fn: AppFunction) => fn.localId === target.functionId);
  return registry.get(target.functionId) ?? (named.length === 1 ? named[0] : undefined);
}

function describe(target: InvokeTarget): string {
  if (target.kind === "function") return `"${target.id}"`;
  return target.appId === undefined ? `"${target.functionId}"` : `"${target.appId}-${target.functionId}"`;
}

/**
 * Where every end of an invoked run passes (windUpRun): settle the parent's step with the output,
 * or fail it with the error (a cancelled run fails it too: it has no output to give), only while
 * the step still waits (it may have timed out), then wake the parent. Repeating it is harmless.
 */
export async function settleInvoker(ctx: EngineContext, run: RunState, end: RunEnd): Promise<void> {
  if (run.parentRunId === undefined || run.parentStepId === undefined) return;
  const waiting = await ctx.ledger.readStep(run.parentRunId, run.parentStepId);
  // Not waiting: timed out already. Waiting for another run: retried by an operator since.
  if (waiting?.status !== "waiting" || waiting.invoke?.runId !== run.id) return;
  const endedAt = Date.now();
  const ended = { ...waiting, endedAt, durationMs: endedAt - waiting.startedAt };
  const settled: StepState =
    end.kind === "completed"
      ? { ...ended, status: "completed", output: end.output ?? null }
      : { ...ended, status: "failed", error: end.kind === "failed" ? end.error : cancelledError(run, end.reason) };
  if (await ctx.ledger.resolveStep(run.parentRunId, settled, "waiting"))
    await promoteRunJob(ctx.runsQueue, run.parentRunId);
}

function cancelledError(run: RunState, reason: string | undefined): SerializedError {
  return {
    name: "FunctionCancelledError",
    message: `the invoked run ${run.id} of "${run.functionId}" was cancelled${reason ? `: ${reason}` : ""}`,
  };
}
