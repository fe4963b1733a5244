/**
 * The engine's public API: define functions as with the Inngest SDK, start the workers, read runs.
 */
export { createFunction, DEFAULT_RETRIES, FunctionDefinitionError } from "./create-function.ts";
export { NonRetriableError } from "./non-retriable-error.ts";
export { RetryAfterError } from "./retry-after-error.ts";
export { StepError } from "./step-error.ts";
export type { RunQuery, Page } from "./store/run-queries.ts";
export type { RunState, RunStatus, StepState, StepStatus, StepOp, SerializedError } from "./run-state.ts";
export type * from "./types.ts";
