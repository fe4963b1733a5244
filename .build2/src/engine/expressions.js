import { parse } from "@marcbachmann/cel-js";
export class ExpressionError extends Error {
    name = "ExpressionError";
}
const cache = new Map();
const CACHE_LIMIT = 1000;
/** Throws an ExpressionError naming `where` when the source does not parse. */
export function compileExpression(source, where) {
    const cached = cache.get(source);
    if (cached)
        return cached;
    let compiled;
    try {
        compiled = parse(source);
    }
    catch (error) {
        throw new ExpressionError(`${where}: invalid expression ${JSON.stringify(source)}: ${error.message}`);
    }
    if (cache.size >= CACHE_LIMIT)
        cache.clear();
    cache.set(source, compiled);
    return compiled;
}
/**
 * True only when the expression evaluates to `true`. A missing field ("No such key") or a type
 * error makes it false rather than failing the router: an event without the field does not match.
 */
export function testExpression(source, context) {
    try {
        return compileExpression(source, "expression")(context) === true;
    }
    catch {
        return false;
    }
}
/** The value of a key expression as a string, or undefined when it cannot be evaluated. */
export function evaluateKey(source, context) {
    try {
        const value = compileExpression(source, "expression")(context);
        if (value === undefined || value === null)
            return undefined;
        return typeof value === "string" ? value : JSON.stringify(value, (_, v) => (typeof v === "bigint" ? v.toString() : v));
    }
    catch {
        return undefined;
    }
}
