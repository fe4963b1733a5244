import { DURATION_HINT, parseDurationMs, parseTimeMs } from "../util/durations.ts";
import { NonRetriableError } from "./non-retriable-error.ts";

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
