import { fetchStep } from "./fetch-step.js";
import { invokeStep } from "./invoke-step.js";
import { NonRetriableError } from "./non-retriable-error.js";
import { parseDuration, parseTime, parseTimeout } from "./parse-time.js";
import { WAITING } from "./run-step.js";
import { toStorable } from "./to-storable.js";
import { unsupportedTool } from "./unsupported-tool.js";
function createStepTools(step, effects, now) {
  const run = (id, fn, ...input) => {
    const fields = input.length > 0 ? { input: toStorable(input, `${what("run", id)} input`) } : void 0;
    return step(id, { op: "run" }, { execute: () => fn(...input), fields });
  };
  return {
    run,
    sendEvent: (id, events) => step(id, { op: "sendEvent" }, { execute: async (finalId) => ({ ids: await effects.sendEvents(finalId, [events].flat()) }) }),
    sleep: (id, duration) => step(id, { op: "sleep", wakeAt: now() + parseDuration(duration, what("sleep", id)) }),
    sleepUntil: (id, until) => step(id, { op: "sleep", wakeAt: parseTime(until, what("sleepUntil", id)) }),
    waitForEvent: (id, wait) => {
      if (typeof wait?.event !== "string" || wait.event === "") throw new NonRetriableError(`${what("waitForEvent", id)}: event must be an event name`);
      const timeoutAt = parseTimeout(wait.timeout, now(), what("waitForEvent", id));
      const begin = (waiting) => effects.beginWait(waiting, wait).then(() => WAITING);
      return step(id, { op: "waitForEvent", timeoutAt }, { begin, fields: { event: wait.event } });
    },
    invoke: (id, options) => invokeStep(step, now, id, options, (waiting, request) => effects.beginInvoke(waiting, request)),
    waitForSignal: (id, options) => waitForSignal(step, effects, now, id, options),
    sendSignal: (id, options) => {
      const signal = signalName(options?.signal, what("sendSignal", id));
      const data = toStorable(options.data ?? null, `${what("sendSignal", id)} data`);
      return step(id, { op: "sendSignal" }, { execute: () => effects.sendSignal(signal, data), fields: { signal } });
    },
    fetch: (input, init) => fetchStep(step, input, init),
    // step.ai.wrap is a step.run in Inngest too (typed "step.ai.wrap" for its UI).
    ai: unsupportedTool("step.ai", { wrap: run }),
    realtime: unsupportedTool("step.realtime")
  };
}
function waitForSignal(step, effects, now, id, options) {
  const where = what("waitForSignal", id);
  const signal = signalName(options?.signal, where);
  const onConflict = options.onConflict ?? "fail";
  if (onConflict !== "fail" && onConflict !== "replace") throw new NonRetriableError(`${where}: onConflict must be "fail" or "replace"`);
  const timeoutAt = parseTimeout(options.timeout, now(), where);
  const begin = (waiting) => effects.beginSignalWait(waiting, { signal, onConflict });
  return step(id, { op: "waitForSignal", timeoutAt }, { begin, fields: { signal } });
}
function createGroupTools() {
  return {
    parallel(options, callback) {
      const run = typeof options === "function" ? options : callback;
      if (typeof run !== "function") throw new NonRetriableError("group.parallel() requires a callback function");
      return run();
    },
    experiment: unsupportedTool("group.experiment")
  };
}
function signalName(signal, where) {
  if (typeof signal !== "string" || signal === "") throw new NonRetriableError(`${where}: signal must be a non-empty string`);
  return signal;
}
function what(tool, id) {
  return `step.${tool}("${typeof id === "string" ? id : id?.id}")`;
}
export {
  createGroupTools,
  createStepTools
};
