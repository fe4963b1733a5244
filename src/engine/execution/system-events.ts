import { acceptEvents, type AcceptDeps, type EventDraft } from "../../events/accept-events.ts";
import { FUNCTION_CANCELLED, FUNCTION_FAILED, FUNCTION_FINISHED, type Registry } from "../definition/registry.ts";
import type { RunState, SerializedError } from "../store/run-state.ts";

/** Runs these started emit none (an invoked run, started by `inngest/function.invoked`, does). */
const SYSTEM_EVENTS = new Set([FUNCTION_FAILED, FUNCTION_FINISHED, FUNCTION_CANCELLED]);

export type RunEnd =
  | { kind: "completed"; output: unknown }
  | { kind: "failed"; error: SerializedError }
  | { kind: "cancelled"; reason?: string };

/**
 * The events a run's end emits, named as in the Inngest docs so existing handlers match:
 * `inngest/function.failed` and `inngest/function.cancelled`, then `inngest/function.finished`
 * for every end. Ids derive from the run id, so a replayed wind-up sends nothing twice. Only
 * events some function listens to are sent (each would otherwise cost a queue round for nothing),
 * and runs triggered by these events emit none, so a function.finished listener cannot loop.
 */
export function systemEventsFor(run: RunState, end: RunEnd, listensTo: (name: string) => boolean): EventDraft[] {
  if (SYSTEM_EVENTS.has(run.eventName)) return [];
  const base = { function_id: run.functionId, run_id: run.id, event: run.event };
  const drafts: EventDraft[] = [];
  if (end.kind === "failed")
    drafts.push({ id: `${run.id}.failed`, name: FUNCTION_FAILED, data: { ...base, error: end.error } });
  if (end.kind === "cancelled")
    drafts.push({ id: `${run.id}.cancelled`, name: FUNCTION_CANCELLED, data: { ...base, reason: end.reason } });
  const outcome = end.kind === "completed" ? { result: end.output } : end.kind === "failed" ? { error: end.error } : {};
  drafts.push({ id: `${run.id}.finished`, name: FUNCTION_FINISHED, data: { ...base, ...outcome, status: end.kind } });
  return drafts.filter((draft) => listensTo(draft.name));
}

export async function emitSystemEvents(
  accept: AcceptDeps,
  registry: Registry,
  run: RunState,
  end: RunEnd,
): Promise<void> {
  const drafts = systemEventsFor(run, end, registry.listensTo);
  if (drafts.length > 0) await acceptEvents(accept, drafts, "system");
}
