import ms, { type StringValue } from "ms";
import { NonRetriableError } from "./non-retriable-error.ts";

/** A duration ("3 days", "90s" or milliseconds) as milliseconds; a bad one fails the run at once. */
export function parseDuration(duration: string | number, what: string): number {
  const value = typeof duration === "number" ? duration : ms(duration as StringValue);
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new NonRetriableError(`${what}: ${JSON.stringify(duration)} is not a duration such as "3 days" or "90s"`);
  }
  return value;
}

/** A point in time (Date, ISO string or epoch ms) as epoch ms. */
export function parseTime(time: Date | string | number, what: string): number {
  const value = time instanceof Date ? time.getTime() : typeof time === "number" ? time : Date.parse(time);
  if (!Number.isFinite(value)) throw new NonRetriableError(`${what}: ${JSON.stringify(time)} is not a date`);
  return value;
}
