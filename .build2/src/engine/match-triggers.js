import { testExpression } from "./expressions.js";
/**
 * Trigger matching, pure. A name matches exactly, or by wildcard: `*` stands for any run of
 * characters, so `clerk/user.*` matches `clerk/user.created` and `clerk/*` every Clerk event.
 */
export function nameMatches(pattern, name) {
    if (!pattern.includes("*"))
        return pattern === name;
    const [first = "", ...rest] = pattern.split("*");
    if (!name.startsWith(first))
        return false;
    let position = first.length;
    for (const [index, part] of rest.entries()) {
        if (index === rest.length - 1)
            return name.length - part.length >= position && name.endsWith(part);
        const found = name.indexOf(part, position);
        if (found < 0)
            return false;
        position = found + part.length;
    }
    return true;
}
export function isEventTrigger(trigger) {
    return "event" in trigger;
}
/** True when one of the function's event triggers matches the event (name, then `if`). */
export function triggersOn(fn, event) {
    return fn.triggers.some((trigger) => isEventTrigger(trigger) &&
        nameMatches(trigger.event, event.name) &&
        (trigger.if === undefined || testExpression(trigger.if, { event })));
}
/** True when some function could trigger on an event of this name (ignoring `if`). */
export function listensTo(functions, name) {
    return functions.some((fn) => fn.triggers.some((trigger) => isEventTrigger(trigger) && nameMatches(trigger.event, name)));
}
