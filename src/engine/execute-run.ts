import { DelayedError, type Job } from "bullmq";
import { acceptEvents } from "../events/accept-events.ts";
import type { Logger } from "../logger.ts";
import { decideRetry } from "./backoff.ts";
import { concurrencySlot } from "./concurrency.ts";
import type { EngineContext } from "./engine-context.ts";
import { digest } from "./engine-keys.ts";
import { promoteRunJob, type RunJobData } from "./run-jobs.ts";
import { createRunSession, type RunOutcome, type SessionEffects } from "./run-session.ts";
import { FINAL_STATUSES, serializeError, type RunState } from "./run-state.ts";
import type { BridgeFunction } from "./types.ts";
import { systemEventsFor, type RunEnd } from "./system-events.ts";
import { triggerOf, waiterField } from "./waiters.ts";
import { windUpRun } from "./wind-up-run.ts";

/** How long a run over its concurrency limit waits before it asks for a slot again. */
const SLOT_RETRY_MS = 1000;

/**
 * The processor of the "runs" queue: load the run, replay its handler (createRunSession), then
 * end it, retry it, or suspend it as a delayed job. Suspending always stores state first and
 * moves the job second, so a crash in between replays the run instead of losing a step.
 */
export function createRunProcessor(ctx: EngineContext) {
  return async function processRun(job: Job<RunJobData>, token?: string): Promise<void> {
    // A function with a concurrency limit must get its slot before the run counts as running.
    const limited = ctx.registry.get(job.data.functionId)?.concurrency !== undefined;
    const run = limited ? await ctx.store.getRun(job.data.runId) : await ctx.store.startRun(job.data.runId);
    if (!run) return ctx.logger.warn({ runId: job.data.runId }, "a run job without run state (expired?): skipped");
    if (run.status === "cancelled") return windUpRun(ctx, run, { kind: "cancelled", reason: run.cancelReason });
    if (FINAL_STATUSES.has(run.status)) return;
    const logger = runLogger(ctx.logger, run);
    const fn = ctx.registry.get(run.functionId);
    if (!fn) return endRun(ctx, run, { kind: "failed", error: new Error(`function "${run.functionId}" is not registered on this worker`) }, logger);
    const slot = concurrencySlot(ctx, fn, run.event, run.id);
    if (slot && !(await slot.acquire())) return suspendJob(job, token, Date.now() + SLOT_RETRY_MS * (0.5 + Math.random()));
    try {
      if (slot) {
        const started = await ctx.store.updateRun(run.id, { status: "running", startedAt: run.startedAt ?? Date.now() });
        if (started === "cancelled") return windUpRun(ctx, run, { kind: "cancelled", reason: "cancelled before it started" });
        if (started !== "ok") return;
      }
      const outcome = await replayHandler(ctx, fn, run, logger, slot?.acquire);
      await concludeRun(ctx, fn, run, outcome, job, token, logger);
    } finally {
      await slot?.release();
    }
  };
}

function replayHandler(
  ctx: EngineContext,
  fn: BridgeFunction,
  run: RunState,
  logger: () => Logger,
  renewSlot?: () => Promise<boolean>,
): Promise<RunOutcome> {
  const session = createRunSession({
    steps: new Map(run.steps.map((step) => [step.id, step])),
    retries: fn.retries,
    retryBaseMs: ctx.retryBaseMs,
    effects: sessionEffects(ctx, run, renewSlot),
  });
  const attempt = Math.max(run.attempt, ...run.steps.filter((step) => step.status === "retrying").map((step) => step.attempts));
  const handlerContext = {
    event: run.event,
    events: [run.event],
    step: session.tools,
    runId: run.id,
    attempt,
    get logger() {
      return logger();
    },
  };
  return session.settle(() => fn.handler(handlerContext));
}

async function concludeRun(
  ctx: EngineContext,
  fn: BridgeFunction,
  run: RunState,
  outcome: RunOutcome,
  job: Job<RunJobData>,
  token: string | undefined,
  logger: () => Logger,
): Promise<void> {
  if (outcome.kind === "suspended") {
    const written = await ctx.store.updateRun(run.id, { status: outcome.status }, outcome.until);
    if (written === "cancelled") return windUpRun(ctx, run, { kind: "cancelled" });
    if (written !== "ok") return;
    await job.moveToDelayed(outcome.until, token);
    // An event or a cancellation may have landed while the job was still active, when it could
    // not be promoted: look once more now that it is delayed.
    const fresh = await ctx.store.getRun(run.id);
    const settled = fresh?.steps.some((step) => step.status === "completed" && run.steps.find((s) => s.id === step.id)?.status === "waiting");
    if (fresh?.status === "cancelled" || settled) await promoteRunJob(ctx.runsQueue, run.id);
    throw new DelayedError();
  }
  if (outcome.kind === "failed") {
    const decision = decideRetry({ error: outcome.error, failedAttempts: run.attempt + 1, retries: fn.retries, now: Date.now(), baseMs: ctx.retryBaseMs });
    if (decision.kind === "retry") {
      logger().warn({ err: outcome.error, retryAt: new Date(decision.at).toISOString() }, "run failed; it will be retried");
      await ctx.store.updateRun(run.id, { attempt: run.attempt + 1, error: serializeError(outcome.error) });
      return suspendJob(job, token, decision.at);
    }
  }
  await endRun(ctx, run, outcome, logger);
}

/**
 * Winds up first (events carry deterministic ids, so a crash before the status write repeats
 * them harmlessly), then writes the final status. A run cancelled while its last step ran ends
 * cancelled, not completed: checked first, but only when there are system events to get wrong.
 */
async function endRun(ctx: EngineContext, run: RunState, outcome: RunOutcome & { kind: "completed" | "failed" }, logger: () => Logger): Promise<void> {
  const endedAt = Date.now();
  const end: RunEnd = outcome.kind === "completed" ? { kind: "completed", output: outcome.output } : { kind: "failed", error: serializeError(outcome.error) };
  if (systemEventsFor(run, end, ctx.registry.listensTo).length > 0) {
    const current = await ctx.store.getRun(run.id);
    if (current?.status === "cancelled") return windUpRun(ctx, current, { kind: "cancelled", reason: current.cancelReason });
  }
  if (outcome.kind === "failed") logger().warn({ err: outcome.error }, "run failed");
  await windUpRun(ctx, run, end);
  await ctx.store.updateRun(run.id, end.kind === "completed" ? { status: "completed", endedAt, output: end.output } : { status: "failed", endedAt, error: end.error });
}

async function suspendJob(job: Job, token: string | undefined, until: number): Promise<never> {
  await job.moveToDelayed(until, token);
  throw new DelayedError();
}

function sessionEffects(ctx: EngineContext, run: RunState, renewSlot?: () => Promise<boolean>): SessionEffects {
  return {
    // Each stored step renews the run's concurrency lease, so a long run keeps its slot.
    saveStep: async (step) => {
      if (step.op === "run" && step.durationMs !== undefined) {
        ctx.metrics?.stepDuration.observe({ function: run.functionId, status: step.status }, step.durationMs / 1000);
      }
      await Promise.all([ctx.store.saveStep(run.id, step), renewSlot?.()]);
    },
    async beginWait(step, options) {
      await ctx.store.saveStep(run.id, step);
      const waiter = { kind: "wait" as const, runId: run.id, stepId: step.id, stepName: step.name, startedAt: step.startedAt };
      await ctx.waiters.register(options.event, waiterField(waiter), {
        ...waiter,
        if: options.if,
        match: options.match,
        trigger: triggerOf(run.event),
        expiresAt: step.wakeAt ?? Date.now(),
      });
    },
    async timeOutWait(step) {
      const won = await ctx.store.resolveStep(run.id, step, "waiting");
      if (step.event) await ctx.waiters.remove([{ eventName: step.event, field: waiterField({ kind: "wait", runId: run.id, stepId: step.id }) }]);
      return won;
    },
    sendEvents(stepId, drafts) {
      const events = drafts.map((draft, index) => ({ ...draft, data: draft.data ?? {}, id: draft.id ?? `${run.id}.${digest(stepId)}.${index}` }));
      return acceptEvents(ctx.accept, events, "function");
    },
  };
}

/** The run's child logger, made on first use: most runs never log, and a pino child is not free. */
function runLogger(root: Logger, run: RunState): () => Logger {
  let logger: Logger | undefined;
  return () => (logger ??= root.child({ functionId: run.functionId, runId: run.id, eventId: run.eventId }));
}
