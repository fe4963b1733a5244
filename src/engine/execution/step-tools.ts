import type { EventDraft } from "../../events/accept-events.ts";
import type { OutboundFetch } from "../../outbound/outbound-fetch.ts";
import { fetchStep } from "./fetch-step.ts";
import { invokeStep, type InvokeRequest } from "./invoke-step.ts";
import { NonRetriableError } from "../definition/non-retriable-error.ts";
import { parseDuration, parseTime, parseTimeout } from "./parse-time.ts";
import { WAITING, type BeginResult, type RunStep } from "./run-step.ts";
import type { StepState } from "../store/run-state.ts";
import { toStorable } from "./to-storable.ts";
import type {
  GroupTools,
  SignalResult,
  StepId,
  StepTools,
  WaitForEventOptions,
  WaitForSignalOptions,
} from "../definition/types.ts";
import { unsupportedTool } from "./unsupported-tool.ts";

/** The effects the step tools reach beyond storing steps (see SessionEffects). */
export interface ToolEffects {
  beginWait(step: StepState, options: WaitForEventOptions): Promise<void>;
  beginInvoke(step: StepState, request: InvokeRequest): Promise<BeginResult>;
  beginSignalWait(step: StepState, options: { signal: string; onConflict: "fail" | "replace" }): Promise<BeginResult>;
  sendSignal(signal: string, data: unknown): Promise<SignalResult>;
  sendEvents(stepId: string, drafts: EventDraft[]): Promise<string[]>;
  /** step.fetch's network access: the address policy applied. */
  fetch: OutboundFetch;
}

/** The handler's `step`: each tool describes its step for the runner (run-step.ts). */
export function createStepTools(step: RunStep, effects: ToolEffects, now: () => number): StepTools {
  const run: StepTools["run"] = (id, fn, ...input) => {
    const fields = input.length > 0 ? { input: toStorable(input, `${what("run", id)} input`) as unknown[] } : undefined;
    return step(id, { op: "run" }, { execute: () => fn(...input), fields });
  };
  return {
    run,
    sendEvent: (id, events) =>
      step(
        id,
        { op: "sendEvent" },
        { execute: async (finalId) => ({ ids: await effects.sendEvents(finalId, [events].flat()) }) },
      ),
    sleep: (id, duration) => step(id, { op: "sleep", wakeAt: now() + parseDuration(duration, what("sleep", id)) }),
    sleepUntil: (id, until) => step(id, { op: "sleep", wakeAt: parseTime(until, what("sleepUntil", id)) }),
    waitForEvent: (id, wait) => {
      if (typeof wait?.event !== "string" || wait.event === "")
        throw new NonRetriableError(`${what("waitForEvent", id)}: event must be an event name`);
      const timeoutAt = parseTimeout(wait.timeout, now(), what("waitForEvent", id));
      const begin = (waiting: StepState) => effects.beginWait(waiting, wait).then(() => WAITING);
      return step(id, { op: "waitForEvent", timeoutAt }, { begin, fields: { event: wait.event } });
    },
    invoke: (id, options) =>
      invokeStep(step, now, id, options, (waiting, request) => effects.beginInvoke(waiting, request)),
    waitForSignal: (id, options) => waitForSignal(step, effects, now, id, options),
    sendSignal: (id, options) => {
      const signal = signalName(options?.signal, what("sendSignal", id));
      const data = toStorable(options.data ?? null, `${what("sendSignal", id)} data`);
      return step(id, { op: "sendSignal" }, { execute: () => effects.sendSignal(signal, data), fields: { signal } });
    },
    fetch: (input, init) => fetchStep(step, effects.fetch, input, init),
    // step.ai.wrap is a step.run in Inngest too (typed "step.ai.wrap" for its UI).
    ai: unsupportedTool("step.ai", { wrap: run }),
    realtime: unsupportedTool("step.realtime"),
  };
}

function waitForSignal<T>(
  step: RunStep,
  effects: ToolEffects,
  now: () => number,
  id: StepId,
  options: WaitForSignalOptions,
): Promise<{ signal: string; data: T } | null> {
  const where = what("waitForSignal", id);
  const signal = signalName(options?.signal, where);
  const onConflict = options.onConflict ?? "fail";
  if (onConflict !== "fail" && onConflict !== "replace")
    throw new NonRetriableError(`${where}: onConflict must be "fail" or "replace"`);
  const timeoutAt = parseTimeout(options.timeout, now(), where);
  const begin = (waiting: StepState) => effects.beginSignalWait(waiting, { signal, onConflict });
  return step(id, { op: "waitForSignal", timeoutAt }, { begin, fields: { signal } });
}

/**
 * The handler's `group`. Steps called together already run in parallel here, so
 * `group.parallel(cb)` just runs `cb`; its `{ mode: "race" }` changes nothing: with
 * `Promise.race`, the losing steps are not cancelled, they run to their end and are stored (a
 * losing sleep or wait keeps the run suspended until it is over).
 */
export function createGroupTools(): GroupTools {
  return {
    parallel<T>(options: { mode?: "race" } | (() => Promise<T>), callback?: () => Promise<T>): Promise<T> {
      const run = typeof options === "function" ? options : callback;
      if (typeof run !== "function") throw new NonRetriableError("group.parallel() requires a callback function");
      return run();
    },
    experiment: unsupportedTool("group.experiment"),
  };
}

function signalName(signal: unknown, where: string): string {
  if (typeof signal !== "string" || signal === "")
    throw new NonRetriableError(`${where}: signal must be a non-empty string`);
  return signal;
}

function what(tool: string, id: StepId): string {
  return `step.${tool}("${typeof id === "string" ? id : id?.id}")`;
}
