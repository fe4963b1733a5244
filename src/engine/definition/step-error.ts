import { deserializeError } from "./deserialize-error.ts";

/**
 * Marks a StepError whatever its name (which is the original error's): the retry decision must
 * know an uncaught StepError to fail the run at once. `Symbol.for`, so a StepError from another
 * copy of this module counts too.
 */
const STEP_ERROR = Symbol.for("clerk-webhook-bridge.StepError");

/**
 * What `await step.*` throws once the step has failed for good (retries used up, a
 * NonRetriableError, an invoked function that failed or timed out): the handler may catch it and
 * go on; if it does not, the run fails without further retries, as the step already used its
 * budget. Shaped as Inngest's: built from the stored error, it keeps that error's `name`
 * ("TypeError", "InngestInvokeTimeoutError", never "StepError"), `message`, `stack` and `cause`,
 * adds `stepId`, and `instanceof StepError` holds.
 */
export class StepError extends Error {
  readonly stepId: string;

  constructor(stepId: string, err: unknown) {
    const stored = deserializeError(err);
    super(stored.message);
    this.name = stored.name;
    this.stepId = stepId;
    if (stored.stack) this.stack = stored.stack;
    if (stored.cause !== undefined) this.cause = stored.cause;
    Object.defineProperty(this, STEP_ERROR, { value: true });
  }
}

/** Recognised by its brand, since its name is the original error's. */
export function isStepError(error: unknown): error is StepError {
  return (
    error instanceof StepError ||
    (typeof error === "object" && error !== null && (error as { [STEP_ERROR]?: unknown })[STEP_ERROR] === true)
  );
}
