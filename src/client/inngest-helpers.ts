import type { BridgeFunction } from "../engine/definition/types.ts";
import { Inngest } from "./inngest.ts";
import { InngestMiddleware } from "./middleware/inngest-middleware.ts";
import { isJsonObject } from "../util/json-object.ts";

/**
 * The helpers the `inngest` package exports beside its client that function code uses, so a file
 * importing them from "inngest" loads unchanged. Serving helpers (`serve`, `InngestCommHandler`,
 * header and query keys) have no use here: the bridge is the server.
 */

/** As Inngest's: lower case; each run of characters other than a–z, 0–9 and "-" becomes one "-"; no "-" at the ends. */
export function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .split("-")
    .filter((part) => part !== "")
    .join("-");
}

/**
 * Inngest's dependency injection: every handler the middleware applies to (the client's, or one
 * function's) finds `ctx`'s fields in its context, as a `transformInput` returning `{ ctx }` does.
 */
export function dependencyInjectionMiddleware<TCtx extends Record<string, unknown>>(ctx: TCtx) {
  return new InngestMiddleware({
    name: "Inngest: Dependency Injection",
    init: () => ({ onFunctionRun: () => ({ transformInput: () => ({ ctx }) }) }),
  });
}

export function isInngest(value: unknown): value is Inngest {
  return value instanceof Inngest;
}

/** A function made with `createFunction` (or `inngest.createFunction`). */
export function isInngestFunction(value: unknown): value is BridgeFunction {
  return (
    isJsonObject(value) &&
    typeof value.id === "string" &&
    Array.isArray(value.triggers) &&
    typeof value.handler === "function"
  );
}

export function isInngestMiddleware(value: unknown): value is InngestMiddleware {
  return value instanceof InngestMiddleware;
}
