import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { MiddlewareStack } from "./middleware/middleware-stack.ts";
import type { InngestLogger } from "./types.ts";

/**
 * What a function defined through the client runs with, besides its handler. Settled at
 * definition; read by handler-execution.ts for each execution of a run.
 */
export interface FunctionRuntime {
  /** The client's middleware, then the function's, each `init` already called. */
  readonly middleware: MiddlewareStack;
  /** From `new Inngest({ logger })`; the bridge's pino logger when absent. */
  readonly logger?: InngestLogger;
  /** The Standard Schemas of `eventType` triggers, by event name: a run's event must fit one. */
  readonly schemas: ReadonlyMap<string, readonly StandardSchemaV1[]>;
}
