import { toError } from "../errors.js";
import { createStepRunner } from "./run-step.js";
import { createSessionTracker } from "./session-tracker.js";
import { createGroupTools, createStepTools } from "./step-tools.js";
import { toStorable } from "./to-storable.js";
/**
 * One execution of a handler. Memoized steps return their stored result; new steps run here and
 * now (those called together run in parallel) and each is stored before its promise resolves, so
 * a run goes as far as it can in one job. A sleep, a wait or a retry asks to suspend: no new step
 * starts after that, the ones in flight finish and are stored, and `settle` reports the earliest
 * time the run must come back. Promises of steps that will run on a later replay never settle.
 * The bookkeeping is session-tracker.ts; the step decisions, run-step.ts; the tools, step-tools.ts.
 */
export function createRunSession(options) {
    const now = options.now ?? Date.now;
    const tracker = createSessionTracker();
    const memoization = watchMemoization(options.steps.size, options.onMemoizationEnd);
    const step = createStepRunner({ ...options, now, onPlan: memoization.observe }, tracker);
    const tools = createStepTools(step, options.effects, now);
    /** Runs the handler to its end or to a suspension, and waits for the steps in flight. */
    function settle(handler) {
        return new Promise((resolve, reject) => {
            tracker.bind(resolve, reject);
            const finish = (outcome) => {
                memoization.end();
                void Promise.allSettled(tracker.inFlight()).then(() => resolve(tracker.failure ? { kind: "failed", error: tracker.failure } : outcome));
            };
            Promise.resolve()
                .then(handler)
                .then((output) => finish({ kind: "completed", output: toStorable(output, "the handler") }))
                .catch((error) => finish({ kind: "failed", error: toError(error) }));
        });
    }
    return { tools, group: createGroupTools(), settle };
}
/**
 * Where the replay of stored steps ends: at the first step whose plan is not a stored result
 * (it must run, sleep or wait), after every stored step has been returned, or when the handler
 * ends. Told once; never when nothing was stored.
 */
function watchMemoization(stored, onEnd) {
    let memoizing = stored > 0;
    let replayed = 0;
    const end = () => {
        if (!memoizing)
            return;
        memoizing = false;
        onEnd?.();
    };
    return {
        end,
        observe(planKind) {
            if (memoizing && ((planKind !== "return" && planKind !== "throw") || ++replayed >= stored))
                end();
        },
    };
}
