import { checkEventData, EventValidationError, isEventType } from "./event-type.js";
import { createHandlerLogger } from "./handler-logger.js";
import { sendThroughMiddleware, startRunHooks } from "./middleware/run-hooks.js";
function createHandlerExecution(fn, run, steps, engineLogger) {
  const runtime = fn.runtime;
  const stack = runtime?.middleware ?? [];
  let memoizing = steps.size > 0;
  let hooks;
  let started;
  let afterExecution;
  let custom;
  const target = () => runtime?.logger ? custom ??= childOf(runtime.logger, run) : engineLogger();
  const logger = createHandlerLogger(target, () => memoizing, !runtime?.logger);
  function startExecution() {
    started ??= hooks?.startExecution() ?? Promise.resolve();
    started.catch(() => {
    });
    return started;
  }
  function memoizationEnded() {
    memoizing = false;
    if (hooks) void startExecution();
  }
  async function callHandler(ctx) {
    if (runtime) await checkEvents(runtime.schemas, ctx.events);
    if (stack.length === 0) return fn.handler(ctx);
    const memoized = [...steps.values()].map(toMemoizedStep);
    hooks = await startRunHooks(stack, { ctx: { event: ctx.event, events: ctx.events, runId: ctx.runId }, fn, steps: memoized });
    const input = await hooks.transformInput(ctx, memoized, fn);
    if (input.steps !== memoized) replaceStepData(steps, input.steps);
    await hooks.beforeMemoization();
    if (!memoizing) await startExecution();
    let result;
    try {
      result = { data: await fn.handler(input.ctx) };
    } catch (error) {
      result = { error };
    }
    if (memoizing) memoizationEnded();
    await started;
    await (afterExecution ??= hooks.afterExecution());
    return unwrap(await hooks.transformOutput(result));
  }
  async function runStep(id, body, args) {
    await started;
    let result;
    try {
      result = { data: await body(...args) };
    } catch (error) {
      result = { error };
    }
    const key = typeof id === "string" ? id : id.id;
    return unwrap(await hooks.transformOutput(result, { id: key, name: typeof id === "string" ? id : id.name ?? id.id, op: "run" }));
  }
  function wrapTools(tools) {
    const wrapped = { ...tools, waitForEvent: (id, options) => tools.waitForEvent(id, { ...options, event: eventName(options.event) }) };
    if (stack.length === 0) return wrapped;
    const run2 = tools.run;
    return { ...wrapped, run: ((id, body, ...input) => run2(id, (...args) => runStep(id, body, args), ...input)) };
  }
  async function finish(outcome) {
    if (!hooks) return;
    try {
      await (afterExecution ??= hooks.afterExecution());
      if (outcome.kind !== "suspended") await hooks.finished(outcome.kind === "completed" ? { data: outcome.output } : { error: outcome.error });
      await hooks.beforeResponse();
    } catch (error) {
      engineLogger().warn({ err: error }, "a middleware hook failed after the handler ran");
    }
  }
  return {
    memoizationEnded,
    /** The session's effects, with step.sendEvent through `onSendEvent` middleware. */
    wrapEffects(effects) {
      return { ...effects, sendEvents: (stepId, drafts) => sendThroughMiddleware(stack, drafts, async (payloads) => effects.sendEvents(stepId, await toDrafts(payloads))) };
    },
    /** Runs the handler in the session, to its end or its suspension. */
    async run(session, ctx) {
      const context = { ...ctx, step: wrapTools(ctx.step), logger };
      const outcome = await session.settle(() => callHandler(context));
      await finish(outcome);
      return outcome;
    }
  };
}
function unwrap(result) {
  if (result.error !== void 0) throw result.error;
  return result.data;
}
function toMemoizedStep(step) {
  if (step.status === "completed") return { id: step.id, data: step.output };
  if (step.status === "failed") return { id: step.id, error: step.error };
  return { id: step.id };
}
function replaceStepData(steps, memoized) {
  for (const { id, data } of memoized) {
    const stored = steps.get(id);
    if (stored?.status === "completed") steps.set(id, { ...stored, output: data });
  }
}
async function checkEvents(schemas, events) {
  for (const event of events) {
    const failure = await checkEventData(schemas.get(event.name) ?? [], event.data);
    if (failure) throw new EventValidationError(`event "${event.name}" (${event.id}) does not fit its schema: ${failure}`);
  }
}
function eventName(event) {
  return isEventType(event) ? event.name : event;
}
async function toDrafts(payloads) {
  return Promise.all(
    payloads.map(async (payload) => {
      const { validate, ...rest } = payload;
      if (typeof validate === "function") await validate.call(payload);
      const { meta: _meta, ...draft } = rest;
      return draft;
    })
  );
}
function childOf(logger, run) {
  const child = logger.child;
  return typeof child === "function" ? child.call(logger, { runID: run.id, eventName: run.eventName }) : logger;
}
export {
  createHandlerExecution
};
