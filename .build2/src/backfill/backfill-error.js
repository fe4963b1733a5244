/**
 * A backfill problem the operator can fix (a refused key, a reserved event name, a state file
 * from another instance): printed as one line, without a stack.
 */
export class BackfillError extends Error {
    name = "BackfillError";
}
export function isBackfillError(error) {
    return error instanceof Error && error.name === "BackfillError";
}
