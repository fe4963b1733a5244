import { createFunction, FunctionDefinitionError } from "./create-function.ts";
import { deserializeError } from "./deserialize-error.ts";
import { findFunction } from "./find-function.ts";
import { isEventTrigger, listensTo, nameMatches, triggersOn } from "./match-triggers.ts";
import type { BridgeFunction } from "./types.ts";

export const FUNCTION_FAILED = "inngest/function.failed";
export const FUNCTION_FINISHED = "inngest/function.finished";
export const FUNCTION_CANCELLED = "inngest/function.cancelled";
export const SCHEDULED_TIMER = "inngest/scheduled.timer";

/**
 * The functions one worker runs, checked once at start: ids are unique, and each `onFailure`
 * becomes a function of its own (`<id>-failure`) triggered by `inngest/function.failed` for its
 * parent, as the Inngest SDK does it. A function is found by its full id (`<app id>-<function
 * id>`), or by its bare id when no other function shares it.
 */
export function createRegistry(functions: readonly BridgeFunction[]) {
  const all = [...functions, ...functions.flatMap(failureFunction)];
  const byId = new Map<string, BridgeFunction>();
  for (const fn of all) {
    if (byId.has(fn.id)) throw new FunctionDefinitionError(`two functions have the id "${fn.id}"; ids must be unique`);
    byId.set(fn.id, fn);
  }
  // Exact names are looked up; only wildcard triggers are scanned per event.
  const byName = new Map<string, BridgeFunction[]>();
  const wildcard: BridgeFunction[] = [];
  for (const fn of all) {
    for (const trigger of fn.triggers) {
      if (!isEventTrigger(trigger)) continue;
      if (trigger.event.includes("*")) wildcard.push(fn);
      else byName.set(trigger.event, [...(byName.get(trigger.event) ?? []), fn]);
    }
  }
  const listenCache = new Map<string, boolean>();

  return {
    functions: all,
    get: (name: string) => byId.get(name) ?? findFunction(all, name),
    /** The functions an event starts, each once, in registration order. */
    match(event: { name: string }): BridgeFunction[] {
      const candidates = new Set([
        ...(byName.get(event.name) ?? []),
        ...wildcard.filter((fn) => hasWildcardFor(fn, event.name)),
      ]);
      return all.filter((fn) => candidates.has(fn) && triggersOn(fn, event));
    },
    /** Whether emitting an event of this name can start anything (system events are skipped otherwise). */
    listensTo(name: string): boolean {
      let listened = listenCache.get(name);
      if (listened === undefined) listenCache.set(name, (listened = listensTo(all, name)));
      return listened;
    },
  };
}

export type Registry = ReturnType<typeof createRegistry>;

function hasWildcardFor(fn: BridgeFunction, name: string): boolean {
  return fn.triggers.some(
    (trigger) => isEventTrigger(trigger) && trigger.event.includes("*") && nameMatches(trigger.event, name),
  );
}

/**
 * Inngest's failure function: `<id>-failure`, one retry (two attempts), none of the parent's
 * flow control; it keeps the parent's app, middleware and logger. `error` is the stored error
 * rebuilt (built-in classes and NonRetriableError keep their class).
 */
function failureFunction(fn: BridgeFunction): BridgeFunction[] {
  const onFailure = fn.onFailure;
  if (!onFailure) return [];
  const failure = createFunction(
    {
      id: `${fn.id}-failure`,
      name: `${fn.name} (failure)`,
      retries: FAILURE_RETRIES,
      triggers: [{ event: FUNCTION_FAILED, if: `event.data.function_id == ${JSON.stringify(fn.id)}` }],
    },
    (ctx) => onFailure({ ...ctx, error: deserializeError((ctx.event.data as { error?: unknown }).error) }),
  );
  const app = fn.appId === undefined ? {} : { appId: fn.appId, localId: `${fn.localId ?? fn.id}-failure` };
  return [Object.freeze({ ...failure, ...app, ...(fn.runtime ? { runtime: fn.runtime } : {}) })];
}

const FAILURE_RETRIES = 1;
