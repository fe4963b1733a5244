/**
 * The engine's public API, as the "clerk-webhook-bridge" package and, for files in FUNCTIONS_DIR,
 * as "inngest": the Inngest client and its helpers (src/client/), the error classes, the types.
 */
export { Inngest } from "../client/inngest.js";
export { createFunction } from "../client/define-function.js";
export { EventSchemas } from "../client/event-schemas.js";
export { cron, eventType, staticSchema, EventType, EventValidationError } from "../client/event-type.js";
export { referenceFunction } from "../client/reference-function.js";
export { InngestMiddleware } from "../client/middleware/inngest-middleware.js";
export { Middleware } from "../client/middleware/v4-middleware.js";
export { DEFAULT_RETRIES, FunctionDefinitionError } from "./create-function.js";
export { NonRetriableError } from "./non-retriable-error.js";
export { RetryAfterError } from "./retry-after-error.js";
export { StepError } from "./step-error.js";
export { compileEventMatcher } from "./event-matcher.js";
