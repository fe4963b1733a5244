import { DelayedError, type Job } from "bullmq";
import type { Logger } from "../../logger.ts";
import { isFlowTimer, promoteRunJob, type FlowTimerData, type RunJobData } from "../../queue/run-jobs.ts";
import { fireBatch, loadBatchEvents } from "../routing/batch-events.ts";
import { concurrencySlots } from "./concurrency.ts";
import { PAUSE_RECHECK_MS } from "../store/function-pauses.ts";
import { fireDebounce } from "../routing/debounce.ts";
import type { EngineContext } from "../store/engine-context.ts";
import {
  afterEndedWrite,
  decideConclusion,
  needsStartGate,
  planRun,
  SLOT_RETRY_MS,
  type RunAction,
} from "./run-lifecycle.ts";
import type { RunState } from "../store/run-state.ts";
import { waitSettledMeanwhile } from "./plan-step.ts";
import { executeHandler } from "./execute-handler.ts";
import { systemEventsFor } from "./system-events.ts";
import type { BridgeFunction } from "../definition/types.ts";
import { windUpRun } from "./wind-up-run.ts";

/**
 * The processor of the "runs" queue, and the one interpreter of the run's lifecycle: load the
 * run, then carry out the actions that run-lifecycle.ts decides until one ends the job. Suspending
 * always stores state first and moves the job second, so a crash in between replays the run
 * instead of losing a step.
 */
export function createRunProcessor(ctx: EngineContext) {
  return async function processRun(job: Job<RunJobData | FlowTimerData>, token?: string): Promise<void> {
    // The queue also carries flow-control timers: debounce fire jobs and batch flush jobs.
    if (isFlowTimer(job.data)) {
      const timer = job as Job<FlowTimerData>;
      return job.data.timer === "debounce" ? fireDebounce(ctx, timer, token) : fireBatch(ctx, timer);
    }
    const data = job.data;
    const fn = ctx.registry.get(data.functionId);
    // A run with a gate (a concurrency slot, a start timeout, a pause) is only read; it counts as started once through.
    const paused = fn !== undefined && ctx.pauses !== undefined && (await ctx.pauses.isPaused(fn.id));
    const gated = needsStartGate(fn) || paused;
    const run = await ctx.ledger.loadRun(data.runId, data.eventId, !gated);
    const slots = run && fn ? concurrencySlots(ctx, fn, run) : undefined;
    const logger = runLogger(ctx.logger, data, run?.eventId);
    const carrier = jobCarrier(job as Job<RunJobData>, token);
    try {
      const execution = { carrier, run: run as RunState, fn: fn as BridgeFunction, slots, logger };
      await performAll(ctx, execution, planRun(run, fn, !gated, Date.now(), paused));
    } finally {
      await slots?.release();
    }
  };
}

/**
 * What holds a run while it executes, and brings it back when it must wait: its own job on the
 * "runs" queue, or the event's job in which the router executes a run it just created
 * (execute-started-run.ts).
 */
export interface RunCarrier {
  /** Has the run picked up again at `until` (a sleep, a wait, a retry, a slot or a pause). */
  deferUntil(until: number): Promise<void>;
  /** Ends this execution once deferred: a job leaves with BullMQ's DelayedError, an inline run just returns. */
  leave(): undefined;
}

export interface Execution {
  carrier: RunCarrier;
  run: RunState;
  fn: BridgeFunction;
  slots: ReturnType<typeof concurrencySlots>;
  logger: () => Logger;
}

/** Carries out `first` and each action that follows, until one ends this execution. */
export async function performAll(ctx: EngineContext, x: Execution, first: RunAction): Promise<void> {
  let action: RunAction | undefined = first;
  while (action) action = await perform(ctx, x, action);
}

/** The run's own job: moved to delayed, it leaves the worker with DelayedError. */
function jobCarrier(job: Job<RunJobData>, token: string | undefined): RunCarrier {
  return {
    deferUntil: (until) => job.moveToDelayed(until, token),
    leave() {
      throw new DelayedError();
    },
  };
}

/** Carries out one action; answers the next, or undefined when the job is done. */
async function perform(ctx: EngineContext, x: Execution, action: RunAction): Promise<RunAction | undefined> {
  const { run, fn } = x;
  switch (action.kind) {
    case "skip":
      if (action.reason === "missing") x.logger().warn("a run job without run state (expired?): skipped");
      return undefined;
    case "wind-up": {
      const reason = action.end.reason ?? (await ctx.ledger.readRun(run.id))?.cancelReason;
      await windUpRun(ctx, run, { kind: "cancelled", reason });
      return undefined;
    }
    case "start": {
      if (x.slots && !(await x.slots.acquire()))
        return { kind: "wait-for-slot", until: Date.now() + SLOT_RETRY_MS * (0.5 + Math.random()) };
      run.startedAt ??= Date.now();
      const started = await ctx.ledger.updateRun(run.id, { status: "running", startedAt: run.startedAt });
      return started === "ok" ? planRun(run, fn, true, Date.now()) : afterEndedWrite(started);
    }
    case "cancel": {
      x.logger().info({ reason: action.reason }, "run cancelled");
      const written = await ctx.ledger.updateRun(run.id, {
        status: "cancelled",
        endedAt: Date.now(),
        cancelReason: action.reason,
      });
      return written === "ok"
        ? { kind: "wind-up", end: { kind: "cancelled", reason: action.reason } }
        : afterEndedWrite(written);
    }
    case "paused":
      return holdWhilePaused(ctx, x);
    case "wait-for-slot":
      await x.carrier.deferUntil(action.until);
      return x.carrier.leave();
    case "execute": {
      if (run.eventIds && !run.events) run.events = await loadBatchEvents(ctx, run);
      const outcome = await executeHandler(ctx, fn, run, x.logger, x.slots?.renew);
      return decideConclusion(run, fn, outcome, Date.now(), ctx.options.retryBaseMs);
    }
    case "suspend":
      return suspend(ctx, x, action.until, action.status);
    case "retry": {
      x.logger().warn(
        { err: action.cause, retryAt: new Date(action.at).toISOString() },
        "run failed; it will be retried",
      );
      const written = await ctx.ledger.updateRun(run.id, { attempt: action.attempt, error: action.error });
      if (written !== "ok") return afterEndedWrite(written);
      await x.carrier.deferUntil(action.at);
      return x.carrier.leave();
    }
    case "end":
      return endRun(ctx, x, action);
  }
}

async function suspend(
  ctx: EngineContext,
  x: Execution,
  until: number,
  status: string,
): Promise<RunAction | undefined> {
  // The trigger event is stored once, in the intake's job, kept for RETENTION: a run that sleeps
  // past that keeps a copy of its own.
  const outlivesEvent =
    x.run.event.receivedAt !== undefined &&
    until > x.run.event.receivedAt + ctx.options.retentionMs - EVENT_COPY_MARGIN_MS;
  const written = await ctx.ledger.updateRun(
    x.run.id,
    { status, ...(outlivesEvent ? { event: x.run.event } : {}) },
    until,
  );
  if (written !== "ok") return afterEndedWrite(written);
  await x.carrier.deferUntil(until);
  // An event, a signal, an invoked run's end or a cancellation may have landed while the job was
  // still active, when it could not be promoted: look once more now that it is delayed.
  const fresh = await ctx.ledger.readRun(x.run.id);
  if (fresh?.status === "cancelled" || (fresh && waitSettledMeanwhile(x.run.steps, fresh.steps)))
    await promoteRunJob(ctx.runsQueue, x.run.id);
  return x.carrier.leave();
}

/** A suspension this close to the event's expiry copies the event into the run. */
const EVENT_COPY_MARGIN_MS = 60 * 60 * 1000;

/**
 * Winds up first (events carry deterministic ids, so a crash before the status write repeats
 * them harmlessly), then writes the final status. A run cancelled while its last step ran ends
 * cancelled, not completed: checked first, but only when there are system events to get wrong.
 */
async function endRun(
  ctx: EngineContext,
  x: Execution,
  action: Extract<RunAction, { kind: "end" }>,
): Promise<RunAction | undefined> {
  const { run } = x;
  if (systemEventsFor(run, action.end, ctx.registry.listensTo).length > 0) {
    const current = await ctx.ledger.readRun(run.id);
    if (current?.status === "cancelled")
      return { kind: "wind-up", end: { kind: "cancelled", reason: current.cancelReason } };
  }
  if (action.end.kind === "failed") x.logger().warn({ err: action.cause }, "run failed");
  await windUpRun(ctx, run, action.end);
  const endedAt = Date.now();
  await ctx.ledger.updateRun(
    run.id,
    action.end.kind === "completed"
      ? { status: "completed", endedAt, output: action.end.output }
      : action.end.kind === "failed"
        ? { status: "failed", endedAt, error: action.end.error }
        : { status: "cancelled", endedAt },
  );
  return undefined;
}

/**
 * Held in the delayed set and listed for resume to wake; the run stays queued. Looked at again
 * once delayed: a resume that read the list before this run was on it left it to wake itself.
 */
async function holdWhilePaused(ctx: EngineContext, x: Execution): Promise<undefined> {
  const pauses = ctx.pauses as NonNullable<EngineContext["pauses"]>;
  await pauses.hold(x.fn.id, x.run.id);
  await x.carrier.deferUntil(Date.now() + PAUSE_RECHECK_MS);
  if (!(await pauses.isPaused(x.fn.id, { fresh: true }))) await promoteRunJob(ctx.runsQueue, x.run.id);
  return x.carrier.leave();
}

/** The run's child logger, made on first use: most runs never log, and a pino child is not free. */
export function runLogger(root: Logger, data: RunJobData, eventId: string | undefined): () => Logger {
  let logger: Logger | undefined;
  return () => (logger ??= root.child({ functionId: data.functionId, runId: data.runId, eventId }));
}
