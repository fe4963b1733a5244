import { testExpression } from "./expressions.js";
function nameMatches(pattern, name) {
  if (!pattern.includes("*")) return pattern === name;
  const [first = "", ...rest] = pattern.split("*");
  if (!name.startsWith(first)) return false;
  let position = first.length;
  for (const [index, part] of rest.entries()) {
    if (index === rest.length - 1) return name.length - part.length >= position && name.endsWith(part);
    const found = name.indexOf(part, position);
    if (found < 0) return false;
    position = found + part.length;
  }
  return true;
}
function isEventTrigger(trigger) {
  return "event" in trigger;
}
function triggersOn(fn, event) {
  return fn.triggers.some(
    (trigger) => isEventTrigger(trigger) && nameMatches(trigger.event, event.name) && (trigger.if === void 0 || testExpression(trigger.if, { event }))
  );
}
function listensTo(functions, name) {
  return functions.some((fn) => fn.triggers.some((trigger) => isEventTrigger(trigger) && nameMatches(trigger.event, name)));
}
export {
  isEventTrigger,
  listensTo,
  nameMatches,
  triggersOn
};
