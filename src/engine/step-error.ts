import type { SerializedError } from "./run-state.ts";

/**
 * What `await step.run(...)` throws once the step has failed for good (retries used up, or a
 * NonRetriableError): the handler may catch it and go on; if it does not, the run fails without
 * further retries, as the step already used its budget.
 */
export class StepError extends Error {
  override name = "StepError";
  readonly stepId: string;

  constructor(stepId: string, error: SerializedError) {
    super(error.message);
    this.stepId = stepId;
    this.cause = error;
    if (error.stack) this.stack = error.stack;
  }
}

export function isStepError(error: unknown): error is StepError {
  return error instanceof Error && error.name === "StepError";
}
