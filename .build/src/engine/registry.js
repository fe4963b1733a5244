import { createFunction, FunctionDefinitionError } from "./create-function.js";
import { deserializeError } from "./deserialize-error.js";
import { findFunction } from "./find-function.js";
import { isEventTrigger, listensTo, nameMatches, triggersOn } from "./match-triggers.js";
const FUNCTION_FAILED = "inngest/function.failed";
const FUNCTION_FINISHED = "inngest/function.finished";
const FUNCTION_CANCELLED = "inngest/function.cancelled";
const SCHEDULED_TIMER = "inngest/scheduled.timer";
function createRegistry(functions) {
  const all = [...functions, ...functions.flatMap(failureFunction)];
  const byId = /* @__PURE__ */ new Map();
  for (const fn of all) {
    if (byId.has(fn.id)) throw new FunctionDefinitionError(`two functions have the id "${fn.id}"; ids must be unique`);
    byId.set(fn.id, fn);
  }
  const byName = /* @__PURE__ */ new Map();
  const wildcard = [];
  for (const fn of all) {
    for (const trigger of fn.triggers) {
      if (!isEventTrigger(trigger)) continue;
      if (trigger.event.includes("*")) wildcard.push(fn);
      else byName.set(trigger.event, [...byName.get(trigger.event) ?? [], fn]);
    }
  }
  const listenCache = /* @__PURE__ */ new Map();
  return {
    functions: all,
    get: (name) => byId.get(name) ?? findFunction(all, name),
    /** The functions an event starts, each once, in registration order. */
    match(event) {
      const candidates = /* @__PURE__ */ new Set([...byName.get(event.name) ?? [], ...wildcard.filter((fn) => hasWildcardFor(fn, event.name))]);
      return all.filter((fn) => candidates.has(fn) && triggersOn(fn, event));
    },
    /** Whether emitting an event of this name can start anything (system events are skipped otherwise). */
    listensTo(name) {
      let listened = listenCache.get(name);
      if (listened === void 0) listenCache.set(name, listened = listensTo(all, name));
      return listened;
    }
  };
}
function hasWildcardFor(fn, name) {
  return fn.triggers.some((trigger) => isEventTrigger(trigger) && trigger.event.includes("*") && nameMatches(trigger.event, name));
}
function failureFunction(fn) {
  const onFailure = fn.onFailure;
  if (!onFailure) return [];
  const failure = createFunction(
    {
      id: `${fn.id}-failure`,
      name: `${fn.name} (failure)`,
      retries: FAILURE_RETRIES,
      triggers: [{ event: FUNCTION_FAILED, if: `event.data.function_id == ${JSON.stringify(fn.id)}` }]
    },
    (ctx) => onFailure({ ...ctx, error: deserializeError(ctx.event.data.error) })
  );
  const app = fn.appId === void 0 ? {} : { appId: fn.appId, localId: `${fn.localId ?? fn.id}-failure` };
  return [Object.freeze({ ...failure, ...app, ...fn.runtime ? { runtime: fn.runtime } : {} })];
}
const FAILURE_RETRIES = 1;
export {
  FUNCTION_CANCELLED,
  FUNCTION_FAILED,
  FUNCTION_FINISHED,
  SCHEDULED_TIMER,
  createRegistry
};
