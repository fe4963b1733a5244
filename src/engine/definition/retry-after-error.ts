import { parseDurationMs } from "../../util/durations.ts";

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
      if (delay === undefined)
        throw new TypeError(
          'retryAfter must be a number of milliseconds, a duration string ("30s", "1h30m") or a Date',
        );
      this.retryAfter = String(Math.ceil(delay / 1000));
    }
  }
}

/** Inngest's server keeps a requested retry between 1 s and 24 h away (ParseRetry in its httpdriver). */
const MIN_RETRY_AFTER_MS = 1000;
const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;

/** The time a RetryAfterError asks to retry at, or undefined for any other error. */
export function retryAfterTime(error: unknown, now: number): number | undefined {
  if (!(error instanceof Error) || error.name !== "RetryAfterError") return undefined;
  const value = String((error as { retryAfter?: unknown }).retryAfter ?? "");
  const at = /^\d+$/.test(value) ? now + Number(value) * 1000 : Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.min(Math.max(at, now + MIN_RETRY_AFTER_MS), now + MAX_RETRY_AFTER_MS);
}
