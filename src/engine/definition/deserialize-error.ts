import { NonRetriableError } from "./non-retriable-error.ts";

/** The classes a stored error comes back as, as in the Inngest SDK; anything else is a plain Error. */
const REBUILT: Record<string, new (message: string) => Error> = {
  EvalError,
  RangeError,
  ReferenceError,
  SyntaxError,
  TypeError,
  URIError,
  NonRetriableError,
};

/**
 * A stored error (`{ name, message, stack, cause? }`, see serializeError) as an Error again: the
 * built-in classes and NonRetriableError keep their class, other classes keep their name only
 * (their code is not ours to call), and causes come back the same way. Anything that is not an
 * error record becomes `Error("Unknown error")`, as Inngest's `deserializeError` does.
 */
export function deserializeError(value: unknown, depth = 0): Error {
  if (value instanceof Error) return value;
  const record = (typeof value === "object" && value !== null ? value : {}) as Record<string, unknown>;
  const name = typeof record.name === "string" && record.name !== "" ? record.name : "Error";
  const message =
    typeof record.message === "string"
      ? record.message
      : typeof record.error === "string"
        ? record.error
        : "Unknown error";
  const Rebuilt = REBUILT[name] ?? Error;
  const error = new Rebuilt(message);
  error.name = name;
  if (typeof record.stack === "string") error.stack = record.stack;
  if (record.cause !== undefined)
    error.cause = depth < 5 && isErrorRecord(record.cause) ? deserializeError(record.cause, depth + 1) : record.cause;
  return error;
}

function isErrorRecord(value: unknown): boolean {
  return typeof value === "object" && value !== null && typeof (value as { message?: unknown }).message === "string";
}
