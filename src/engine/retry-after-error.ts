import { parseDurationMs } from "../util/durations.ts";

/**
 * Thrown by a handler or a step: retry, but not before `retryAfter` (a number of milliseconds, a
 * duration string such as "30s", or a Date), e.g. when an API answered 429 with Retry-After.
 */
export class RetryAfterError extends Error {
  override name = "RetryAfterError";
  /** When the retry is due, as a Date's ISO string or a number of seconds (Inngest's encoding). */
  readonly retryAfter: string;

  constructor(message: string, retryAfter: number | string | Date, options?: { cause?: unknown }) {
    super(message, options);
    if (retryAfter instanceof Date) {
      this.retryAfter = retryAfter.toISOString();
    } else {
      const delay = parseDurationMs(retryAfter);
      if (delay === undefined) throw new TypeError("retryAfter must be a number of milliseconds, a duration string or a Date");
      this.retryAfter = String(Math.ceil(delay / 1000));
    }
  }
}

/** The time a RetryAfterError asks to retry at, or undefined for any other error. */
export function retryAfterTime(error: unknown, now: number): number | undefined {
  if (!(error instanceof Error) || error.name !== "RetryAfterError") return undefined;
  const value = String((error as { retryAfter?: unknown }).retryAfter ?? "");
  if (/^\d+$/.test(value)) return now + Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : date;
}
