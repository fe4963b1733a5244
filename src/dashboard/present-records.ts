import type { BridgeFunction, RunState } from "../client/index.ts";
import type { BridgeEvent } from "../events/event-schema.ts";

/**
 * How the operator API shows records: pure shaping, no I/O. Lists carry summaries (a run's
 * trigger event and step outputs can be large); the detail routes carry everything.
 */

export interface RunSummary {
  id: string;
  functionId: string;
  eventId: string;
  eventName: string;
  status: RunState["status"];
  createdAt: number;
  startedAt?: number;
  endedAt?: number;
  steps: number;
  error?: string;
}

export function summarizeRun(run: RunState): RunSummary {
  return {
    id: run.id,
    functionId: run.functionId,
    eventId: run.eventId,
    eventName: run.eventName,
    status: run.status,
    createdAt: run.createdAt,
    ...(run.startedAt !== undefined ? { startedAt: run.startedAt } : {}),
    ...(run.endedAt !== undefined ? { endedAt: run.endedAt } : {}),
    steps: run.steps.length,
    ...(run.error ? { error: run.error.message } : {}),
  };
}

/** A run in full, minus its copy of the trigger event (the event route has it). */
export function presentRun(run: RunState): Omit<RunState, "event"> {
  const { event: _event, ...rest } = run;
  return rest;
}

export function presentEvent(event: BridgeEvent, runs?: RunState[]) {
  return runs === undefined ? event : { ...event, runs: runs.map(summarizeRun) };
}

/** A function as JSON: its options, without the handler code. */
export function describeFunction(fn: BridgeFunction) {
  return {
    id: fn.id,
    ...(fn.appId === undefined ? {} : { appId: fn.appId, localId: fn.localId }),
    name: fn.name,
    triggers: fn.triggers,
    retries: fn.retries,
    cancelOn: fn.cancelOn,
    ...(fn.idempotency ? { idempotency: fn.idempotency } : {}),
    ...(fn.concurrency.length > 0 ? { concurrency: fn.concurrency } : {}),
    ...(Object.keys(fn.flow).length > 0 ? { flow: fn.flow } : {}),
    onFailure: fn.onFailure !== undefined,
  };
}
