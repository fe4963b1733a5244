import { Inngest } from "../client/inngest.js";
import { createFunction } from "../client/define-function.js";
import { EventSchemas } from "../client/event-schemas.js";
import { cron, eventType, staticSchema, EventType, EventValidationError } from "../client/event-type.js";
import { referenceFunction } from "../client/reference-function.js";
import { InngestMiddleware } from "../client/middleware/inngest-middleware.js";
import { Middleware } from "../client/middleware/v4-middleware.js";
import { DEFAULT_RETRIES, FunctionDefinitionError } from "./create-function.js";
import { NonRetriableError } from "./non-retriable-error.js";
import { RetryAfterError } from "./retry-after-error.js";
import { StepError } from "./step-error.js";
import { compileEventMatcher } from "./event-matcher.js";
export {
  DEFAULT_RETRIES,
  EventSchemas,
  EventType,
  EventValidationError,
  FunctionDefinitionError,
  Inngest,
  InngestMiddleware,
  Middleware,
  NonRetriableError,
  RetryAfterError,
  StepError,
  compileEventMatcher,
  createFunction,
  cron,
  eventType,
  referenceFunction,
  staticSchema
};
