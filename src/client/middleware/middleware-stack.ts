import { FunctionDefinitionError } from "../../engine/definition/create-function.ts";
import type { BridgeFunction } from "../../engine/definition/types.ts";
import { InngestMiddleware, type MiddlewareRegistration } from "./inngest-middleware.ts";
import { messageOf } from "../../util/thrown.ts";

/** Initialized middleware in stack order: the client's first, then the function's. */
export type MiddlewareStack = readonly Promise<MiddlewareRegistration>[];

/**
 * Checks a `middleware` option and runs each `init` once, now: a throwing `init` stops the start
 * naming the middleware. An `init` that returns a promise is awaited by the first run or send that
 * needs it (its rejection fails those, as in Inngest).
 */
export function initMiddleware(
  list: unknown,
  args: { client?: unknown; fn?: BridgeFunction },
  where: string,
): Promise<MiddlewareRegistration>[] {
  if (list === undefined) return [];
  const fail = (message: string): never => {
    throw new FunctionDefinitionError(`${where}: middleware${message}`);
  };
  if (!Array.isArray(list)) fail(" must be an array of InngestMiddleware");
  return (list as unknown[]).map((entry, index) => {
    // Inngest v4 registers classes (`class X extends Middleware.BaseMiddleware`); v3 instances.
    if (typeof entry === "function") fail(": v4 class middleware is not supported, use InngestMiddleware");
    if (!(entry instanceof InngestMiddleware) && typeof (entry as { init?: unknown })?.init !== "function") {
      fail(`[${index}] is not an InngestMiddleware ({ name, init })`);
    }
    const middleware = entry as InngestMiddleware;
    try {
      const registration = Promise.resolve(middleware.init(args));
      registration.catch(() => {}); // surfaced where it is awaited; not an unhandled rejection here
      return registration;
    } catch (error) {
      return fail(`[${index}] "${middleware.name}": init threw: ${messageOf(error)}`);
    }
  });
}
