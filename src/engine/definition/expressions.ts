import { parse } from "@marcbachmann/cel-js";

/**
 * CEL expressions (trigger `if`, waitForEvent/cancelOn `if`, idempotency and concurrency keys),
 * compiled with @marcbachmann/cel-js: no eval, no home-made parser. Compiled once per source.
 */
export type Compiled = (context: Record<string, unknown>) => unknown;

export class ExpressionError extends Error {
  override name = "ExpressionError";
}

const cache = new Map<string, Compiled>();
const CACHE_LIMIT = 1000;

/** Throws an ExpressionError naming `where` when the source does not parse. */
export function compileExpression(source: string, where: string): Compiled {
  const cached = cache.get(source);
  if (cached) return cached;
  let compiled: Compiled;
  try {
    compiled = parse(source) as Compiled;
  } catch (error) {
    throw new ExpressionError(`${where}: invalid expression ${JSON.stringify(source)}: ${(error as Error).message}`);
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(source, compiled);
  return compiled;
}

/**
 * True only when the expression evaluates to `true`. A missing field ("No such key") or a type
 * error makes it false rather than failing the router: an event without the field does not match.
 */
export function testExpression(source: string, context: Record<string, unknown>): boolean {
  try {
    return compileExpression(source, "expression")(context) === true;
  } catch {
    return false;
  }
}

/** The value of a key expression as a string, or undefined when it cannot be evaluated. */
export function evaluateKey(source: string, context: Record<string, unknown>): string | undefined {
  try {
    const value = compileExpression(source, "expression")(context);
    if (value === undefined || value === null) return undefined;
    return typeof value === "string"
      ? value
      : JSON.stringify(value, (_, v) => (typeof v === "bigint" ? v.toString() : v));
  } catch {
    return undefined;
  }
}
