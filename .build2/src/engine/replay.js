/** Inngest's error for an invoke that outlived its timeout (pkg/execution/execution.go). */
export const INVOKE_TIMEOUT_ERROR = {
    name: "InngestInvokeTimeoutError",
    message: "Timed out waiting for invoked function to complete",
};
export function planStep(stored, request, now) {
    if (stored?.status === "completed")
        return { kind: "return", value: stored.output ?? null };
    if (stored?.status === "failed")
        return { kind: "throw", error: stored.error ?? { name: "Error", message: "step failed" } };
    switch (request.op) {
        case "run":
        case "sendEvent":
        case "sendSignal":
        case "fetch":
            if (stored?.status === "retrying" && (stored.retryAt ?? 0) > now)
                return { kind: "suspend", until: stored.retryAt };
            return { kind: "execute" };
        case "sleep": {
            // The first call fixes the wake time; a replay must not restart the clock.
            const wakeAt = stored?.wakeAt ?? request.wakeAt;
            if (wakeAt <= now)
                return { kind: "end-sleep" };
            return stored ? { kind: "suspend", until: wakeAt } : { kind: "begin-sleep", until: wakeAt };
        }
        case "waitForEvent":
        case "waitForSignal":
        case "invoke": {
            const timeoutAt = stored?.wakeAt ?? request.timeoutAt;
            if (!stored)
                return { kind: "begin-wait", until: timeoutAt };
            if (timeoutAt <= now)
                return { kind: "time-out-wait", result: request.op === "invoke" ? { error: INVOKE_TIMEOUT_ERROR } : { output: null } };
            return request.op === "invoke" ? { kind: "ensure-invoke", until: timeoutAt } : { kind: "suspend", until: timeoutAt };
        }
    }
}
/** Steps settled from outside the run: an event, a signal, or the end of an invoked run. */
export const WAIT_OPS = new Set(["waitForEvent", "waitForSignal", "invoke"]);
/**
 * Whether a wait was settled from outside while the run was suspending (`before`: the steps when
 * the job started; `after`: as read once its job is delayed). Whoever settled it tried to wake
 * the job while it was still active, which cannot be done: the executor must wake itself. A wait
 * that began in this very job is absent from `before`, so it counts too.
 */
export function waitSettledMeanwhile(before, after) {
    const was = new Map(before.map((step) => [step.id, step.status]));
    return after.some((step) => WAIT_OPS.has(step.op) && (step.status === "completed" || step.status === "failed") && (was.get(step.id) ?? "waiting") === "waiting");
}
/**
 * Inngest's rule for a step id used more than once in a run (a loop): the first keeps the id,
 * later ones get `:1`, `:2`, ..., skipping any suffixed id already taken.
 * https://github.com/inngest/inngest-js (resolveStepIdCollision in components/execution/engine.ts)
 */
export function createStepIdAllocator() {
    const used = new Set();
    const nextIndex = new Map();
    return (baseId) => {
        if (!used.has(baseId) && !nextIndex.has(baseId)) {
            used.add(baseId);
            nextIndex.set(baseId, 1);
            return baseId;
        }
        for (let index = nextIndex.get(baseId) ?? 1;; index++) {
            const candidate = `${baseId}:${index}`;
            if (!used.has(candidate)) {
                used.add(candidate);
                nextIndex.set(baseId, index + 1);
                return candidate;
            }
        }
    };
}
