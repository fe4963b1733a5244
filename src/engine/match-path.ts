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
