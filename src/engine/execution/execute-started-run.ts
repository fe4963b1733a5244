import { runJobFor } from "../routing/create-runs.ts";
import type { BridgeFunction } from "../definition/types.ts";
import type { EngineContext } from "../store/engine-context.ts";
import type { NewRun } from "../store/run-ledger.ts";
import type { RunState } from "../store/run-state.ts";
import { performAll, runLogger, type RunCarrier } from "./execute-run.ts";
import { planRun } from "./run-lifecycle.ts";

/**
 * Executes a run the router has just created running (`startNow`: nothing held it back), inside
 * the event's job: no job of its own, no second read of what the router holds in memory, none of
 * BullMQ's moves to active and to finished. Only a run that must come back later (a sleep, a wait,
 * a retry) gets a job, delayed, written after its state as the executor's own suspensions are.
 *
 * A crash mid-way leaves the event's job to BullMQ's stalled check: routed again, it finds the run
 * unfinished (lua/route-event.lua answers "queued") and enqueues its job, and the executor replays
 * the stored steps. An engine error (Redis gone) hands the run to the executor the same way, at once.
 */
export async function executeStartedRun(ctx: EngineContext, created: NewRun): Promise<void> {
  const fn = ctx.registry.get(created.functionId) as BridgeFunction;
  const carrier: RunCarrier = {
    deferUntil: async (until) => {
      const job = runJobFor(ctx, created, until - Date.now());
      await ctx.runsQueue.add(job.name, job.data, job.opts);
    },
    leave: () => undefined,
  };
  const run = startedState(created);
  const logger = runLogger(ctx.logger, { runId: run.id, functionId: run.functionId }, run.eventId);
  try {
    await performAll(ctx, { carrier, run, fn, slots: undefined, logger }, planRun(run, fn, true, Date.now()));
  } catch (error) {
    if (!ctx.redisHealth?.absorb(error))
      logger().warn({ err: error }, "executing a new run in the router failed; its job resumes it");
    await carrier.deferUntil(Date.now());
  }
}

/** The run as lua/route-event.lua stored it with `startNow`: running, no steps yet. */
function startedState(run: NewRun): RunState {
  return {
    id: run.id,
    functionId: run.functionId,
    eventId: run.event.id,
    eventName: run.event.name,
    status: "running",
    createdAt: run.createdAt,
    startedAt: run.createdAt,
    attempt: 0,
    priority: run.flow?.priority,
    ...(run.parent ? { parentRunId: run.parent.runId, parentStepId: run.parent.stepId } : {}),
    event: run.event,
    steps: [],
  };
}
