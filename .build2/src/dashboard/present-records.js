export function summarizeRun(run) {
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
export function presentRun(run) {
    const { event: _event, ...rest } = run;
    return rest;
}
export function presentEvent(event, runs) {
    return runs === undefined ? event : { ...event, runs: runs.map(summarizeRun) };
}
/** A function as JSON: its options, without the handler code. */
export function describeFunction(fn) {
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
