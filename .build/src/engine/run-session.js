import { toError } from "../errors.js";
import { createStepRunner } from "./run-step.js";
import { createSessionTracker } from "./session-tracker.js";
import { createGroupTools, createStepTools } from "./step-tools.js";
import { toStorable } from "./to-storable.js";
function createRunSession(options) {
  const now = options.now ?? Date.now;
  const tracker = createSessionTracker();
  const memoization = watchMemoization(options.steps.size, options.onMemoizationEnd);
  const step = createStepRunner({ ...options, now, onPlan: memoization.observe }, tracker);
  const tools = createStepTools(step, options.effects, now);
  function settle(handler) {
    return new Promise((resolve, reject) => {
      tracker.bind(resolve, reject);
      const finish = (outcome) => {
        memoization.end();
        void Promise.allSettled(tracker.inFlight()).then(() => resolve(tracker.failure ? { kind: "failed", error: tracker.failure } : outcome));
      };
      Promise.resolve().then(handler).then((output) => finish({ kind: "completed", output: toStorable(output, "the handler") })).catch((error) => finish({ kind: "failed", error: toError(error) }));
    });
  }
  return { tools, group: createGroupTools(), settle };
}
function watchMemoization(stored, onEnd) {
  let memoizing = stored > 0;
  let replayed = 0;
  const end = () => {
    if (!memoizing) return;
    memoizing = false;
    onEnd?.();
  };
  return {
    end,
    observe(planKind) {
      if (memoizing && (planKind !== "return" && planKind !== "throw" || ++replayed >= stored)) end();
    }
  };
}
export {
  createRunSession
};
