import { NonRetriableError } from "../definition/non-retriable-error.ts";

/**
 * A step result as it will be stored and replayed: JSON. Returning the JSON round trip (not the
 * original value) makes the first execution and every replay see the same thing. Values JSON
 * would silently drop or mangle (functions, Map, Set, BigInt, cycles) are refused: retrying
 * cannot fix them, so the step fails at once with a message naming the path.
 */
export function toStorable(value: unknown, what: string): unknown {
  const problem = findProblem(value, "result", new Set());
  if (problem) throw new NonRetriableError(`${what} returned a value that cannot be stored as JSON: ${problem}`);
  const json = JSON.stringify(value);
  return json === undefined ? null : JSON.parse(json);
}

function findProblem(value: unknown, path: string, seen: Set<object>): string | undefined {
  switch (typeof value) {
    case "bigint":
      return `${path} is a BigInt (convert it to a string or number)`;
    case "function":
    case "symbol":
      return `${path} is a ${typeof value}`;
    case "object": {
      if (value === null || value instanceof Date) return undefined;
      if (seen.has(value)) return `${path} refers back to itself (a cycle)`;
      if (value instanceof Map || value instanceof Set)
        return `${path} is a ${value.constructor.name} (use a plain object or array)`;
      if (typeof (value as { toJSON?: unknown }).toJSON === "function") return undefined;
      seen.add(value);
      for (const [key, child] of Object.entries(value)) {
        const problem = findProblem(child, Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`, seen);
        if (problem) return problem;
      }
      seen.delete(value);
      return undefined;
    }
    default:
      return undefined;
  }
}
