/**
 * Reading whatever was thrown without trusting its type: libraries and templates may throw strings
 * or plain objects, and an Error made in a template's sandbox is not `instanceof Error` here.
 */

/** The thrown value's `message` (an Error's, from any realm), or the value itself as text. */
export function messageOf(thrown: unknown): string {
  if (typeof thrown === "object" && thrown !== null && "message" in thrown) return String(thrown.message);
  return String(thrown);
}

/** The `code` of a thrown system or library error (`ENOENT`, `EADDRINUSE`, `ECONNREFUSED`, ...), if it has one. */
export function errorCodeOf(thrown: unknown): string | undefined {
  if (typeof thrown !== "object" || thrown === null || !("code" in thrown)) return undefined;
  return typeof thrown.code === "string" ? thrown.code : undefined;
}
