import { globMatches } from "../../util/glob-match.ts";
import { testExpression } from "./expressions.ts";
import type { BridgeFunction, EventTrigger, Trigger } from "./types.ts";

/**
 * Trigger matching, pure. A name matches exactly, or by wildcard: `*` stands for any run of
 * characters, so `clerk/user.*` matches `clerk/user.created` and `clerk/*` every Clerk event.
 */
export function nameMatches(pattern: string, name: string): boolean {
  return globMatches(pattern, name);
}

export function isEventTrigger(trigger: Trigger): trigger is EventTrigger {
  return "event" in trigger;
}

/** True when one of the function's event triggers matches the event (name, then `if`). */
export function triggersOn(fn: BridgeFunction, event: { name: string }): boolean {
  return fn.triggers.some(
    (trigger) =>
      isEventTrigger(trigger) &&
      nameMatches(trigger.event, event.name) &&
      (trigger.if === undefined || testExpression(trigger.if, { event })),
  );
}

/** True when some function could trigger on an event of this name (ignoring `if`). */
export function listensTo(functions: readonly BridgeFunction[], name: string): boolean {
  return functions.some((fn) =>
    fn.triggers.some((trigger) => isEventTrigger(trigger) && nameMatches(trigger.event, name)),
  );
}
