import { createFunction, FunctionDefinitionError } from "./create-function.ts";
import { isEventTrigger, listensTo, nameMatches, triggersOn } from "./match-triggers.ts";
import type { BridgeFunction, FunctionEvent } from "./types.ts";

export const FUNCTION_FAILED = "inngest/function.failed";
export const FUNCTION_FINISHED = "inngest/function.finished";
export const FUNCTION_CANCELLED = "inngest/function.cancelled";
export const SCHEDULED_TIMER = "inngest/scheduled.timer";

/**
 * The functions one worker runs, checked once at start: ids are unique, and each `onFailure`
 * becomes a function of its own (`<id>-failure`) triggered by `inngest/function.failed` for its
 * parent, as the Inngest SDK does it.
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
    get: (id: string) => byId.get(id),
    /** The functions an event starts, each once, in registration order. */
    match(event: { name: string }): BridgeFunction[] {
      const candidates = new Set([...(byName.get(event.name) ?? []), ...wildcard.filter((fn) => hasWildcardFor(fn, event.name))]);
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
  return fn.triggers.some((trigger) => isEventTrigger(trigger) && trigger.event.includes("*") && nameMatches(trigger.event, name));
}

function failureFunction(fn: BridgeFunction): BridgeFunction[] {
  const onFailure = fn.onFailure;
  if (!onFailure) return [];
  return [
    createFunction(
      {
        id: `${fn.id}-failure`,
        name: `${fn.name} (on failure)`,
        retries: fn.retries,
        triggers: [{ event: FUNCTION_FAILED, if: `event.data.function_id == ${JSON.stringify(fn.id)}` }],
      },
      (ctx) => {
        const failed = ctx.event.data as { error?: { name?: string; message?: string; stack?: string }; event?: FunctionEvent };
        const error = Object.assign(new Error(failed.error?.message ?? "the function failed"), {
          name: failed.error?.name ?? "Error",
          stack: failed.error?.stack,
        });
        return onFailure({ ...ctx, error });
      },
    ),
  ];
}
