import { DURATION_HINT, parseDurationMs, parseTimeMs } from "../util/durations.js";
import { NonRetriableError } from "./non-retriable-error.js";
function parseDuration(duration, what) {
  const value = parseDurationMs(duration);
  if (value === void 0) throw new NonRetriableError(`${what}: ${JSON.stringify(duration)} is not ${DURATION_HINT}`);
  return value;
}
function parseTime(time, what) {
  const value = parseTimeMs(time);
  if (value === void 0) throw new NonRetriableError(`${what}: ${JSON.stringify(time)} is not a date`);
  return value;
}
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]|$)/;
function parseTimeout(timeout, now, what) {
  if (timeout instanceof Date || typeof timeout === "string" && ISO_DATE.test(timeout.trim())) return parseTime(timeout, what);
  return now + parseDuration(timeout, `${what} timeout`);
}
export {
  parseDuration,
  parseTime,
  parseTimeout
};
