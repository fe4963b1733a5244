import { parse } from "@marcbachmann/cel-js";
class ExpressionError extends Error {
  name = "ExpressionError";
}
const cache = /* @__PURE__ */ new Map();
const CACHE_LIMIT = 1e3;
function compileExpression(source, where) {
  const cached = cache.get(source);
  if (cached) return cached;
  let compiled;
  try {
    compiled = parse(source);
  } catch (error) {
    throw new ExpressionError(`${where}: invalid expression ${JSON.stringify(source)}: ${error.message}`);
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(source, compiled);
  return compiled;
}
function testExpression(source, context) {
  try {
    return compileExpression(source, "expression")(context) === true;
  } catch {
    return false;
  }
}
function evaluateKey(source, context) {
  try {
    const value = compileExpression(source, "expression")(context);
    if (value === void 0 || value === null) return void 0;
    return typeof value === "string" ? value : JSON.stringify(value, (_, v) => typeof v === "bigint" ? v.toString() : v);
  } catch {
    return void 0;
  }
}
export {
  ExpressionError,
  compileExpression,
  evaluateKey,
  testExpression
};
