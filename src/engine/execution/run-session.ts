import { toError } from "../../errors.ts";
import type { StepState } from "../store/run-state.ts";
import { createStepRunner } from "./run-step.ts";
import { createSessionTracker, type RunOutcome } from "./session-tracker.ts";
import { createGroupTools, createStepTools, type ToolEffects } from "./step-tools.ts";
import { toStorable } from "./to-storable.ts";

export type { RunOutcome, SuspendStatus } from "./session-tracker.ts";

/** The side effects a session needs; the executor binds them to Redis, unit tests to memory. */
export interface SessionEffects extends ToolEffects {
  saveStep(step: StepState): Promise<void>;
  /**
   * Settles a wait at its timeout (waitForEvent and waitForSignal with null, invoke with its
   * timeout error) and drops its registration; false when it was settled first.
   */
  timeOutWait(step: StepState): Promise<boolean>;
}

export interface SessionOptions {
  steps: ReadonlyMap<string, StepState>;
  retries: number;
  retryBaseMs: number;
  effects: SessionEffects;
  now?: () => number;
  /**
   * Called once, when the replay has gone past the stored steps (each returned, or one met that
   * must run, sleep or wait) or the handler ended: from there on, code runs for the first time.
   * Not called when nothing is stored. The handler's logger stays muted until then.
   */
  onMemoizationEnd?: () => void;
  /** `timeouts.finish`: no new step starts after it; the run suspends so the executor cancels it. */
  deadline?: number;
}

/**
 * One execution of a handler. Memoized steps return their stored result; new steps run here and
 * now (those called together run in parallel) and each is stored before its promise resolves, so
 * a run goes as far as it can in one job. A sleep, a wait or a retry asks to suspend: no new step
 * starts after that, the ones in flight finish and are stored, and `settle` reports the earliest
 * time the run must come back. Promises of steps that will run on a later replay never settle.
 * The bookkeeping is session-tracker.ts; the step decisions, run-step.ts; the tools, step-tools.ts.
 */
export function createRunSession(options: SessionOptions) {
  const now = options.now ?? Date.now;
  const tracker = createSessionTracker();
  const memoization = watchMemoization(options.steps.size, options.onMemoizationEnd);
  const step = createStepRunner({ ...options, now, onPlan: memoization.observe }, tracker);
  const tools = createStepTools(step, options.effects, now);

  /** Runs the handler to its end or to a suspension, and waits for the steps in flight. */
  function settle(handler: () => unknown): Promise<RunOutcome> {
    return new Promise<RunOutcome>((resolve, reject) => {
      tracker.bind(resolve, reject);
      const finish = (outcome: RunOutcome) => {
        memoization.end();
        void Promise.allSettled(tracker.inFlight()).then(() =>
          resolve(tracker.failure ? { kind: "failed", error: tracker.failure } : outcome),
        );
      };
      Promise.resolve()
        .then(handler)
        .then((output) => finish({ kind: "completed", output: toStorable(output, "the handler") }))
        .catch((error: unknown) => finish({ kind: "failed", error: toError(error) }));
    });
  }

  return { tools, group: createGroupTools(), settle };
}

/**
 * Where the replay of stored steps ends: at the first step whose plan is not a stored result
 * (it must run, sleep or wait), after every stored step has been returned, or when the handler
 * ends. Told once; never when nothing was stored.
 */
function watchMemoization(stored: number, onEnd: (() => void) | undefined) {
  let memoizing = stored > 0;
  let replayed = 0;
  const end = () => {
    if (!memoizing) return;
    memoizing = false;
    onEnd?.();
  };
  return {
    end,
    observe(planKind: string): void {
      if (memoizing && ((planKind !== "return" && planKind !== "throw") || ++replayed >= stored)) end();
    },
  };
}
