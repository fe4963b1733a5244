function summarizeRun(run) {
  return {
    id: run.id,
    functionId: run.functionId,
    eventId: run.eventId,
    eventName: run.eventName,
    status: run.status,
    createdAt: run.createdAt,
    ...run.startedAt !== void 0 ? { startedAt: run.startedAt } : {},
    ...run.endedAt !== void 0 ? { endedAt: run.endedAt } : {},
    steps: run.steps.length,
    ...run.error ? { error: run.error.message } : {}
  };
}
function presentRun(run) {
  const { event: _event, ...rest } = run;
  return rest;
}
function presentEvent(event, runs) {
  return runs === void 0 ? event : { ...event, runs: runs.map(summarizeRun) };
}
function describeFunction(fn) {
  return {
    id: fn.id,
    ...fn.appId === void 0 ? {} : { appId: fn.appId, localId: fn.localId },
    name: fn.name,
    triggers: fn.triggers,
    retries: fn.retries,
    cancelOn: fn.cancelOn,
    ...fn.idempotency ? { idempotency: fn.idempotency } : {},
    ...fn.concurrency.length > 0 ? { concurrency: fn.concurrency } : {},
    ...Object.keys(fn.flow).length > 0 ? { flow: fn.flow } : {},
    onFailure: fn.onFailure !== void 0
  };
}
export {
  describeFunction,
  presentEvent,
  presentRun,
  summarizeRun
};
