import type { SerializedError } from "./run-state.ts";

/** Marks a StepError from any copy of this module (Symbol.for is shared across copies). */
const STEP_ERROR = Symbol.for("clerk-webhook-bridge.StepError");

/**
 * What `await step.*` throws once the step has failed for good (retries used up, a
 * NonRetriableError, an invoked function that failed or timed out): the handler may catch it and
 * go on; if it does not, the run fails without further retries, as the step already used its
 * budget. As in the Inngest SDK, it keeps the original error's `name`, `message` and `stack`
 * (so `error.name` reads "TypeError" or "InngestInvokeTimeoutError", not "StepError"), adds the
 * `stepId`, and `instanceof StepError` stays true.
 */
export class StepError extends Error {
  readonly stepId: string;
  readonly [STEP_ERROR] = true;

  constructor(stepId: string, error: SerializedError) {
    super(error.message);
    this.name = error.name || "Error";
    this.stepId = stepId;
    this.cause = error;
    if (error.stack) this.stack = error.stack;
  }
}

/** Recognised by its brand, since its name is the original error's. */
export function isStepError(error: unknown): error is StepError {
  return error instanceof StepError || (error instanceof Error && (error as { [STEP_ERROR]?: unknown })[STEP_ERROR] === true);
}
