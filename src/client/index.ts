/**
 * The engine's public API, as the "clerk-webhook-bridge" package and, for files in FUNCTIONS_DIR,
 * as "inngest": the Inngest client and its helpers (src/client/), the error classes, the types.
 */
export { Inngest, type ClientOptions } from "./inngest.ts";
export { createFunction } from "./define-function.ts";
export { EventSchemas, type EventMap } from "./event-schemas.ts";
export { cron, eventType, staticSchema, EventType, EventValidationError } from "./event-type.ts";
export { referenceFunction, type InngestFunctionReference } from "./reference-function.ts";
export { InngestMiddleware } from "./middleware/inngest-middleware.ts";
export {
  dependencyInjectionMiddleware,
  isInngest,
  isInngestFunction,
  isInngestMiddleware,
  slugify,
} from "./inngest-helpers.ts";
export type {
  MiddlewareOptions,
  MiddlewareRegistration,
  RunHooks,
  SendHooks,
  RunResult,
  MemoizedStep,
} from "./middleware/inngest-middleware.ts";
export { Middleware } from "./middleware/v4-middleware.ts";
export type { Context, InngestLogger, TypedEvent, SendPayload, FailureEvent } from "./types.ts";
export type { StandardSchemaV1 } from "@standard-schema/spec";
export { DEFAULT_RETRIES, FunctionDefinitionError } from "../engine/definition/create-function.ts";
export { NonRetriableError } from "../engine/definition/non-retriable-error.ts";
export { RetryAfterError } from "../engine/definition/retry-after-error.ts";
export { StepError } from "../engine/definition/step-error.ts";
export { compileEventMatcher } from "../engine/definition/event-matcher.ts";
export type { RunQuery, Page } from "../engine/store/run-queries.ts";
export type { RunState, RunStatus, StepState, StepStatus, StepOp, SerializedError } from "../engine/store/run-state.ts";
export type * from "../engine/definition/types.ts";
