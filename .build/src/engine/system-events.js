import { acceptEvents } from "../events/accept-events.js";
import { FUNCTION_CANCELLED, FUNCTION_FAILED, FUNCTION_FINISHED } from "./registry.js";
const SYSTEM_EVENTS = /* @__PURE__ */ new Set([FUNCTION_FAILED, FUNCTION_FINISHED, FUNCTION_CANCELLED]);
function systemEventsFor(run, end, listensTo) {
  if (SYSTEM_EVENTS.has(run.eventName)) return [];
  const base = { function_id: run.functionId, run_id: run.id, event: run.event };
  const drafts = [];
  if (end.kind === "failed") drafts.push({ id: `${run.id}.failed`, name: FUNCTION_FAILED, data: { ...base, error: end.error } });
  if (end.kind === "cancelled") drafts.push({ id: `${run.id}.cancelled`, name: FUNCTION_CANCELLED, data: { ...base, reason: end.reason } });
  const outcome = end.kind === "completed" ? { result: end.output } : end.kind === "failed" ? { error: end.error } : {};
  drafts.push({ id: `${run.id}.finished`, name: FUNCTION_FINISHED, data: { ...base, ...outcome, status: end.kind } });
  return drafts.filter((draft) => listensTo(draft.name));
}
async function emitSystemEvents(accept, registry, run, end) {
  const drafts = systemEventsFor(run, end, registry.listensTo);
  if (drafts.length > 0) await acceptEvents(accept, drafts, "system");
}
export {
  emitSystemEvents,
  systemEventsFor
};
