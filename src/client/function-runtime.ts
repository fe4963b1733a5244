import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { MiddlewareStack } from "./middleware/middleware-stack.ts";
import type { InngestLogger } from "./types.ts";

/**
 * What a function defined through the client runs with, besides its handler. Settled at
 * definition, closed over by the execution wrapper (handler-execution.ts) that the client
 * attaches to the function as its runtime (the engine's FunctionRuntime).
 */
export interface ClientRuntime {
  /** The client's middleware, then the function's, each `init` already called. */
  readonly middleware: MiddlewareStack;
  /** From `new Inngest({ logger })`; the bridge's pino logger when absent. */
  readonly logger?: InngestLogger;
  /** The Standard Schemas of `eventType` triggers, by event name: a run's event must fit one. */
  readonly schemas: ReadonlyMap<string, readonly StandardSchemaV1[]>;
}
