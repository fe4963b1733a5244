import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { EventDraft } from "../events/accept-events.ts";
import type { Logger } from "../logger.ts";
import type {
  BridgeFunction,
  ExecutedRun,
  FunctionEvent,
  HandlerContext,
  HandlerExecution,
  HandlerOutcome,
  MemoizedStepState,
  StepId,
  StepTools,
} from "../engine/definition/types.ts";
import { checkEventData, EventValidationError, isEventType } from "./event-type.ts";
import { createHandlerLogger } from "../engine/execution/handler-logger.ts";
import type { ClientRuntime } from "./function-runtime.ts";
import type { MemoizedStep, RunResult } from "./middleware/inngest-middleware.ts";
import { sendThroughMiddleware, startRunHooks, type ComposedRunHooks } from "./middleware/run-hooks.ts";
import { fieldsOf } from "../util/json-object.ts";

/**
 * One execution of a handler (one job of a run), as the client sees it: the event checked against
 * its schema, the middleware's hooks, the logger muted during the replay, `step.run` results and
 * `step.sendEvent` payloads through middleware.
 *
 * Inngest calls the handler once per step, over HTTP, and its "per request" hooks run on each
 * call. Here one job runs every new step it can in place and replays only after a suspension
 * (sleep, wait, retry, crash), so those hooks run once per job execution: `transformInput`
 * and `beforeMemoization` before the handler; `afterMemoization` and `beforeExecution` where
 * the replay ends and new code begins; `afterExecution`, `transformOutput`, `finished` (when the
 * run completed or failed) and `beforeResponse` at the end of the execution.
 *
 * This is the execution wrapper a client attaches to the functions it defines (their runtime's
 * `execution`): the engine calls it and knows nothing of middleware.
 */
export function createHandlerExecution(
  runtime: ClientRuntime,
  fn: BridgeFunction,
  run: ExecutedRun,
  steps: Map<string, MemoizedStepState>,
  engineLogger: () => Logger,
): HandlerExecution {
  const stack = runtime.middleware;
  let memoizing = steps.size > 0;
  let hooks: ComposedRunHooks | undefined;
  let started: Promise<void> | undefined;
  let afterExecution: Promise<void> | undefined;

  let custom: object | undefined;
  const target = (): object => (runtime.logger ? (custom ??= childOf(runtime.logger, run)) : engineLogger());
  const logger = createHandlerLogger(target, () => memoizing, !runtime.logger);

  function startExecution(): Promise<void> {
    started ??= hooks?.startExecution() ?? Promise.resolve();
    started.catch(() => {}); // awaited by the handler and by each step.run; not unhandled here
    return started;
  }

  /** For the session: from here on, code runs for the first time. */
  function memoizationEnded(): void {
    memoizing = false;
    if (hooks) void startExecution();
  }

  async function callHandler(ctx: HandlerContext): Promise<unknown> {
    await checkEvents(runtime.schemas, ctx.events);
    if (stack.length === 0) return fn.handler(ctx);
    const memoized = [...steps.values()].map(toMemoizedStep);
    hooks = await startRunHooks(stack, {
      ctx: { event: ctx.event, events: ctx.events, runId: ctx.runId },
      fn,
      steps: memoized,
    });
    const input = await hooks.transformInput(ctx as unknown as Record<string, unknown>, memoized, fn);
    if (input.steps !== memoized) replaceStepData(steps, input.steps);
    await hooks.beforeMemoization();
    if (!memoizing) await startExecution();
    let result: RunResult;
    try {
      result = { data: await fn.handler(input.ctx as unknown as HandlerContext) };
    } catch (error) {
      result = { error };
    }
    if (memoizing) memoizationEnded();
    await started;
    await (afterExecution ??= hooks.afterExecution());
    return unwrap(await hooks.transformOutput(result));
  }

  /** step.run's code through `transformOutput` (after `beforeExecution`), only when it executes. */
  async function runStep(id: StepId, body: (...args: unknown[]) => unknown, args: unknown[]): Promise<unknown> {
    await started;
    let result: RunResult;
    try {
      result = { data: await body(...args) };
    } catch (error) {
      result = { error };
    }
    const key = typeof id === "string" ? id : id.id;
    return unwrap(
      await (hooks as ComposedRunHooks).transformOutput(result, {
        id: key,
        name: typeof id === "string" ? id : (id.name ?? id.id),
        op: "run",
      }),
    );
  }

  function wrapTools(tools: StepTools): StepTools {
    const wrapped: StepTools = {
      ...tools,
      waitForEvent: (id, options) => tools.waitForEvent(id, { ...options, event: eventName(options.event) }),
    };
    if (stack.length === 0) return wrapped;
    const run = tools.run as (
      id: StepId,
      body: (...args: unknown[]) => unknown,
      ...input: unknown[]
    ) => Promise<unknown>;
    return {
      ...wrapped,
      run: ((id: StepId, body: (...args: unknown[]) => unknown, ...input: unknown[]) =>
        run(id, (...args) => runStep(id, body, args), ...input)) as StepTools["run"],
    };
  }

  /** After the execution: hook failures are logged, never fail a run that already ended or suspended. */
  async function finish(outcome: HandlerOutcome): Promise<void> {
    if (!hooks) return;
    try {
      await (afterExecution ??= hooks.afterExecution());
      if (outcome.kind !== "suspended")
        await hooks.finished(outcome.kind === "completed" ? { data: outcome.output } : { error: outcome.error });
      await hooks.beforeResponse();
    } catch (error) {
      engineLogger().warn({ err: error }, "a middleware hook failed after the handler ran");
    }
  }

  return {
    memoizationEnded,
    /** step.sendEvent through `onSendEvent` middleware. */
    wrapSendEvents: (send) => (stepId, drafts) =>
      sendThroughMiddleware(stack, drafts, async (payloads) => send(stepId, await toDrafts(payloads))),
    /** Runs the handler in the session, to its end or its suspension. */
    async run(session, ctx) {
      const context = { ...ctx, step: wrapTools(ctx.step), logger: logger as unknown as Logger };
      const outcome = await session.settle(() => callHandler(context));
      await finish(outcome);
      return outcome;
    },
  };
}

function unwrap(result: RunResult): unknown {
  if (result.error !== undefined) throw result.error;
  return result.data;
}

function toMemoizedStep(step: MemoizedStepState): MemoizedStep {
  if (step.status === "completed") return { id: step.id, data: step.output };
  if (step.status === "failed") return { id: step.id, error: step.error };
  return { id: step.id };
}

/** `transformInput` may replace stored step data (decryption, say) before the replay reads it. */
function replaceStepData(steps: Map<string, MemoizedStepState>, memoized: MemoizedStep[]): void {
  for (const { id, data } of memoized) {
    const stored = steps.get(id);
    if (stored?.status === "completed") steps.set(id, { ...stored, output: data });
  }
}

async function checkEvents(
  schemas: ReadonlyMap<string, readonly StandardSchemaV1[]>,
  events: FunctionEvent[],
): Promise<void> {
  for (const event of events) {
    const failure = await checkEventData(schemas.get(event.name) ?? [], event.data);
    if (failure)
      throw new EventValidationError(`event "${event.name}" (${event.id}) does not fit its schema: ${failure}`);
  }
}

function eventName(event: unknown): string {
  return isEventType(event) ? event.name : (event as string);
}

/** Payloads as the intake takes them: `eventType().create()` ones validated, extra keys dropped. */
async function toDrafts(payloads: EventDraft[]): Promise<EventDraft[]> {
  return Promise.all(
    payloads.map(async (payload) => {
      const { validate, ...rest } = payload as EventDraft & { validate?: unknown; meta?: unknown };
      if (typeof validate === "function") await validate.call(payload);
      const { meta: _meta, ...draft } = rest;
      return draft;
    }),
  );
}

function childOf(logger: object, run: ExecutedRun): object {
  const child = fieldsOf(logger).child;
  // Inngest binds the same fields on a logger that has `child` (pino, winston, bunyan).
  return typeof child === "function"
    ? (child.call(logger, { runID: run.id, eventName: run.eventName }) as object)
    : logger;
}
