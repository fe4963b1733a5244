const NEVER = new Promise(() => {
});
const RANK = { running: 0, sleeping: 1, waiting: 2 };
function createSessionTracker() {
  const inFlight = /* @__PURE__ */ new Set();
  let suspension;
  let failure;
  let report;
  let fail;
  function flush() {
    if (inFlight.size > 0) return;
    if (failure) report?.({ kind: "failed", error: failure });
    else if (suspension) report?.({ kind: "suspended", ...suspension });
  }
  return {
    /** Wires the reports to the settle promise of this execution. */
    bind(onReport, onEngineFailure) {
      report = onReport;
      fail = onEngineFailure;
    },
    /** No new step may start: the run is leaving the worker. */
    get stopped() {
      return suspension !== void 0 || failure !== void 0;
    },
    /** The error the run must fail with whatever the handler does, if any. */
    get failure() {
      return failure;
    },
    inFlight: () => [...inFlight],
    track(promise) {
      inFlight.add(promise);
      const done = () => {
        inFlight.delete(promise);
        flush();
      };
      promise.then(done, done);
      return promise;
    },
    /** Asks to leave the worker until `until`. */
    suspend(until, status) {
      suspension = mergeSuspension(suspension, until, status);
      queueMicrotask(flush);
      return NEVER;
    },
    /** Fails the run once the steps in flight are stored, whether or not the handler catches it. */
    abort(error) {
      failure ??= error;
      queueMicrotask(flush);
      return NEVER;
    },
    /** Engine failures (Redis) are not step failures: they fail the job, and BullMQ retries it. */
    guard(promise) {
      return promise.catch((error) => (fail?.(error), NEVER));
    }
  };
}
function mergeSuspension(current, until, status) {
  return {
    until: Math.min(until, current?.until ?? Infinity),
    status: RANK[status] > RANK[current?.status ?? "running"] ? status : current?.status ?? status
  };
}
export {
  NEVER,
  createSessionTracker
};
