/**
 * The engine's public API, as the "clerk-webhook-bridge" package and, for files in FUNCTIONS_DIR,
 * as "inngest": the Inngest client and its helpers (src/client/), the error classes, the types.
 */
export { Inngest, type ClientOptions } from "../client/inngest.ts";
export { createFunction } from "../client/define-function.ts";
export { EventSchemas, type EventMap } from "../client/event-schemas.ts";
export { cron, eventType, staticSchema, EventType, EventValidationError } from "../client/event-type.ts";
export { referenceFunction, type InngestFunctionReference } from "../client/reference-function.ts";
export { InngestMiddleware } from "../client/middleware/inngest-middleware.ts";
export { dependencyInjectionMiddleware, isInngest, isInngestFunction, isInngestMiddleware, slugify } from "../client/inngest-helpers.ts";
export type { MiddlewareOptions, MiddlewareRegistration, RunHooks, SendHooks, RunResult, MemoizedStep } from "../client/middleware/inngest-middleware.ts";
export { Middleware } from "../client/middleware/v4-middleware.ts";
export type { Context, InngestLogger, TypedEvent, SendPayload, FailureEvent } from "../client/types.ts";
export type { StandardSchemaV1 } from "@standard-schema/spec";
export { DEFAULT_RETRIES, FunctionDefinitionError } from "./create-function.ts";
export { NonRetriableError } from "./non-retriable-error.ts";
export { RetryAfterError } from "./retry-after-error.ts";
export { StepError } from "./step-error.ts";
export { compileEventMatcher } from "./event-matcher.ts";
export type { RunQuery, Page } from "./store/run-queries.ts";
export type { RunState, RunStatus, StepState, StepStatus, StepOp, SerializedError } from "./run-state.ts";
export type * from "./types.ts";
