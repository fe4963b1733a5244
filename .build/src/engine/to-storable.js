import { NonRetriableError } from "./non-retriable-error.js";
function toStorable(value, what) {
  const problem = findProblem(value, "result", /* @__PURE__ */ new Set());
  if (problem) throw new NonRetriableError(`${what} returned a value that cannot be stored as JSON: ${problem}`);
  const json = JSON.stringify(value);
  return json === void 0 ? null : JSON.parse(json);
}
function findProblem(value, path, seen) {
  switch (typeof value) {
    case "bigint":
      return `${path} is a BigInt (convert it to a string or number)`;
    case "function":
    case "symbol":
      return `${path} is a ${typeof value}`;
    case "object": {
      if (value === null || value instanceof Date) return void 0;
      if (seen.has(value)) return `${path} refers back to itself (a cycle)`;
      if (value instanceof Map || value instanceof Set) return `${path} is a ${value.constructor.name} (use a plain object or array)`;
      if (typeof value.toJSON === "function") return void 0;
      seen.add(value);
      for (const [key, child] of Object.entries(value)) {
        const problem = findProblem(child, Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`, seen);
        if (problem) return problem;
      }
      seen.delete(value);
      return void 0;
    }
    default:
      return void 0;
  }
}
export {
  toStorable
};
