export type SuspendStatus = "running" | "sleeping" | "waiting";

export type RunOutcome =
  | { kind: "completed"; output: unknown }
  | { kind: "failed"; error: Error }
  | { kind: "suspended"; until: number; status: SuspendStatus };

/**
 * The promise of a step that will settle on a later replay, or never. A new one each time: a
 * suspended handler stays parked on it, and a promise shared by every run (a module constant)
 * would keep each parked handler, with its event and steps, alive for as long as the process.
 */
export function never(): Promise<never> {
  return new Promise<never>(() => {});
}

const RANK: Record<SuspendStatus, number> = { running: 0, sleeping: 1, waiting: 2 };

/**
 * The bookkeeping of one execution of a handler: the steps in flight, and whether the run must
 * leave the worker (a sleep, a wait, a retry: the earliest time it must come back) or fail now.
 * Either stops new steps from starting; once the steps in flight are stored, the outcome is
 * reported. The first report wins (a promise settles once).
 */
export function createSessionTracker() {
  const inFlight = new Set<Promise<unknown>>();
  let suspension: { until: number; status: SuspendStatus } | undefined;
  let failure: Error | undefined;
  let report: ((outcome: RunOutcome) => void) | undefined;
  let fail: ((error: unknown) => void) | undefined;

  function flush(): void {
    if (inFlight.size > 0) return;
    if (failure) report?.({ kind: "failed", error: failure });
    else if (suspension) report?.({ kind: "suspended", ...suspension });
  }

  return {
    /** Wires the reports to the settle promise of this execution. */
    bind(onReport: (outcome: RunOutcome) => void, onEngineFailure: (error: unknown) => void): void {
      report = onReport;
      fail = onEngineFailure;
    },
    /** No new step may start: the run is leaving the worker. */
    get stopped(): boolean {
      return suspension !== undefined || failure !== undefined;
    },
    /** The error the run must fail with whatever the handler does, if any. */
    get failure(): Error | undefined {
      return failure;
    },
    inFlight: (): Promise<unknown>[] => [...inFlight],

    track<T>(promise: Promise<T>): Promise<T> {
      inFlight.add(promise);
      const done = () => {
        inFlight.delete(promise);
        flush();
      };
      promise.then(done, done);
      return promise;
    },

    /** Asks to leave the worker until `until`. */
    suspend(until: number, status: SuspendStatus): Promise<never> {
      suspension = mergeSuspension(suspension, until, status);
      queueMicrotask(flush);
      return never();
    },

    /** Fails the run once the steps in flight are stored, whether or not the handler catches it. */
    abort(error: Error): Promise<never> {
      failure ??= error;
      queueMicrotask(flush);
      return never();
    },

    /** Engine failures (Redis) are not step failures: they fail the job, and BullMQ retries it. */
    guard<T>(promise: Promise<T>): Promise<T> {
      return promise.catch((error: unknown) => (fail?.(error), never()));
    },
  };
}

export type SessionTracker = ReturnType<typeof createSessionTracker>;

/** The earliest time any request asks to come back, shown with the most waiting status asked. */
function mergeSuspension(
  current: { until: number; status: SuspendStatus } | undefined,
  until: number,
  status: SuspendStatus,
) {
  return {
    until: Math.min(until, current?.until ?? Infinity),
    status: RANK[status] > RANK[current?.status ?? "running"] ? status : (current?.status ?? status),
  };
}
