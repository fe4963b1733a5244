import { NonRetriableError } from "./non-retriable-error.js";
const REBUILT = {
  EvalError,
  RangeError,
  ReferenceError,
  SyntaxError,
  TypeError,
  URIError,
  NonRetriableError
};
function deserializeError(value, depth = 0) {
  if (value instanceof Error) return value;
  const record = typeof value === "object" && value !== null ? value : {};
  const name = typeof record.name === "string" && record.name !== "" ? record.name : "Error";
  const message = typeof record.message === "string" ? record.message : typeof record.error === "string" ? record.error : "Unknown error";
  const Rebuilt = REBUILT[name] ?? Error;
  const error = new Rebuilt(message);
  error.name = name;
  if (typeof record.stack === "string") error.stack = record.stack;
  if (record.cause !== void 0) error.cause = depth < 5 && isErrorRecord(record.cause) ? deserializeError(record.cause, depth + 1) : record.cause;
  return error;
}
function isErrorRecord(value) {
  return typeof value === "object" && value !== null && typeof value.message === "string";
}
export {
  deserializeError
};
