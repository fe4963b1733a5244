import { DURATION_HINT, parseDurationMs, parseTimeMs } from "../../util/durations.ts";
import { NonRetriableError } from "../definition/non-retriable-error.ts";

/**
 * Durations and times given to step tools while a run executes. A bad one cannot get better on a
 * retry, so it fails the run at once (NonRetriableError) with a message naming the step.
 */
export function parseDuration(duration: unknown, what: string): number {
  const value = parseDurationMs(duration);
  if (value === undefined) throw new NonRetriableError(`${what}: ${JSON.stringify(duration)} is not ${DURATION_HINT}`);
  return value;
}

export function parseTime(time: unknown, what: string): number {
  const value = parseTimeMs(time);
  if (value === undefined) throw new NonRetriableError(`${what}: ${JSON.stringify(time)} is not a date`);
  return value;
}

/** An ISO 8601 date ("2030-01-01", "2030-01-01T12:00:00Z"), told apart from a duration string. */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]|$)/;

/**
 * A timeout (waitForEvent, waitForSignal, invoke) as an absolute time: a duration from `now`, or,
 * as Inngest's `timeStr` allows, a Date (or an ISO date string) that is the deadline itself.
 */
export function parseTimeout(timeout: unknown, now: number, what: string): number {
  if (timeout instanceof Date || (typeof timeout === "string" && ISO_DATE.test(timeout.trim())))
    return parseTime(timeout, what);
  return now + parseDuration(timeout, `${what} timeout`);
}
