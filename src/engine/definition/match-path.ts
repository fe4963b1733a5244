/**
 * A `match` of waitForEvent or cancelOn: a dotted field path (`data.id`, or `event.data.id`)
 * that must be equal in the run's trigger event and the incoming one, as in Inngest.
 */
const PATH = /^(?:(?:event|async)\.)?[A-Za-z_$][\w$-]*(?:\.[A-Za-z_$][\w$-]*)*$/;

/** The path's parts without the optional `event.`/`async.` prefix, or undefined when it is not a path. */
export function parseMatchPath(path: string): string[] | undefined {
  if (typeof path !== "string" || !PATH.test(path)) return undefined;
  return path.replace(/^(event|async)\./, "").split(".");
}

/** The value at a path, or undefined when any part is missing. */
export function readMatchPath(source: unknown, parts: readonly string[]): unknown {
  let value = source;
  for (const part of parts) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

const SIMPLE_PATH = "[A-Za-z_$][\\w$]*(?:\\.[A-Za-z_$][\\w$]*)*";
const EQUALITY = new RegExp(`^\\s*(event|async)\\.(${SIMPLE_PATH})\\s*==\\s*(event|async)\\.(${SIMPLE_PATH})\\s*$`);

/**
 * The path of an `if` that only compares one field of both events (`event.data.id ==
 * async.data.id`, the form Inngest's SDK turns `match` into): such a waiter can be indexed like a
 * `match`. Undefined for any other expression.
 */
export function matchPathFromIf(expression: string): string | undefined {
  const found = EQUALITY.exec(expression);
  if (!found || found[1] === found[3] || found[2] !== found[4]) return undefined;
  return found[2];
}
