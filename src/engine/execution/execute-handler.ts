import { acceptEvents } from "../../events/accept-events.ts";
import type { Logger } from "../../logger.ts";
import { digest } from "../../redis/keys.ts";
import type { EngineContext } from "../store/engine-context.ts";
import { beginInvoke } from "./invoke-function.ts";
import { finishDeadline } from "./run-lifecycle.ts";
import { createRunSession, type RunOutcome, type SessionEffects } from "./run-session.ts";
import type { RunState } from "../store/run-state.ts";
import { beginSignalWait, releaseSignal, sendSignal } from "./signals.ts";
import type { BridgeFunction, HandlerExecution } from "../definition/types.ts";
import { createHandlerLogger } from "./handler-logger.ts";
import { waiterField } from "../store/waiters.ts";

/**
 * Executes the handler once over the run's stored steps (memoized ones return their results: the
 * handler is replayed up to where new code begins), through the function's runtime: what the
 * client that defined it adds around it (middleware, its logger, event schemas), never imported here.
 */
export function executeHandler(
  ctx: EngineContext,
  fn: BridgeFunction,
  run: RunState,
  logger: () => Logger,
  renewSlots?: () => Promise<void>,
): Promise<RunOutcome> {
  const steps = new Map(run.steps.map((step) => [step.id, step]));
  const execution = fn.runtime
    ? fn.runtime.execution(fn, run, steps, logger)
    : plainExecution(fn, steps.size > 0, logger);
  const effects = sessionEffects(ctx, fn, run, renewSlots);
  const session = createRunSession({
    steps,
    retries: fn.retries,
    retryBaseMs: ctx.options.retryBaseMs,
    effects: { ...effects, sendEvents: execution.wrapSendEvents(effects.sendEvents) },
    onMemoizationEnd: execution.memoizationEnded,
    deadline: finishDeadline(run, fn),
  });
  const attempt = Math.max(
    run.attempt,
    ...run.steps.filter((step) => step.status === "retrying").map((step) => step.attempts),
  );
  // A batch run gets all its events; `event` is the first of them, as in Inngest.
  const events = run.events ?? [run.event];
  const handlerContext = {
    event: events[0] ?? run.event,
    events,
    step: session.tools,
    group: session.group,
    runId: run.id,
    attempt,
    maxAttempts: fn.retries + 1,
  };
  return execution.run(session, handlerContext);
}

/**
 * The execution of a function defined without a client (no runtime): its handler as written, with
 * the engine's logger, muted while stored steps replay.
 */
function plainExecution(fn: BridgeFunction, memoizing: boolean, engineLogger: () => Logger): HandlerExecution {
  let muted = memoizing;
  const logger = createHandlerLogger(engineLogger, () => muted, true) as unknown as Logger;
  return {
    memoizationEnded: () => {
      muted = false;
    },
    wrapSendEvents: (send) => send,
    run: (session, ctx) => session.settle(() => fn.handler({ ...ctx, logger })),
  };
}

/** The session's side effects, bound to Redis. */
function sessionEffects(
  ctx: EngineContext,
  fn: BridgeFunction,
  run: RunState,
  renewSlots?: () => Promise<void>,
): SessionEffects {
  const signals = { redis: ctx.redis, keys: ctx.keys, runsQueue: ctx.runsQueue, sealer: ctx.sealer };
  return {
    // Each stored step renews the run's concurrency leases, so a long run keeps its slots.
    saveStep: async (step) => {
      if (step.op === "run" && step.durationMs !== undefined) {
        ctx.metrics?.stepDuration.observe({ function: run.functionId, status: step.status }, step.durationMs / 1000);
      }
      await Promise.all([ctx.ledger.saveStep(run.id, step), renewSlots?.()]);
    },
    // The waiter first, the waiting step second: a crash between them replays the step, which
    // registers again (the same field); the other order would leave a wait nobody can settle.
    async beginWait(step, options) {
      const base = {
        kind: "wait" as const,
        runId: run.id,
        stepId: step.id,
        stepName: step.name,
        startedAt: step.startedAt,
        seq: step.seq,
        expiresAt: step.wakeAt ?? Date.now(),
      };
      const spec = { eventName: options.event, field: waiterField(base), match: options.match, if: options.if };
      const { result, location } = await ctx.waiters.register(spec, run.event, base);
      if (result === "full")
        ctx.logger.error(
          { runId: run.id, step: step.id, event: options.event },
          "too many waitForEvent waiters with an `if` and no `match` for this event: this wait will time out (give it a match)",
        );
      await ctx.ledger.saveStep(run.id, location ? { ...step, waiterKey: location.key } : step);
    },
    beginInvoke: (step, request) => beginInvoke(ctx, fn, run, step, request),
    beginSignalWait: (step, options) => beginSignalWait(signals, run.id, step, options),
    sendSignal: (signal, data) => sendSignal(signals, { signal, data }),
    // Drops the wait's registration. An invoked run has none: it keeps running, as in Inngest.
    async timeOutWait(step) {
      const won = await ctx.ledger.resolveStep(run.id, step, "waiting");
      if (step.op === "waitForEvent" && step.waiterKey)
        await ctx.waiters.remove([
          { key: step.waiterKey, field: waiterField({ kind: "wait", runId: run.id, stepId: step.id }) },
        ]);
      if (step.op === "waitForSignal" && step.signal) await releaseSignal(signals, step.signal, run.id, step.id);
      return won;
    },
    fetch: ctx.outbound,
    sendEvents(stepId, drafts) {
      const events = drafts.map((draft, index) => ({
        ...draft,
        data: draft.data ?? {},
        id: draft.id ?? `${run.id}.${digest(stepId)}.${index}`,
      }));
      return acceptEvents(ctx.accept, events, "function");
    },
  };
}
