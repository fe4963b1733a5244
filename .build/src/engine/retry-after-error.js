import { parseDurationMs } from "../util/durations.js";
class RetryAfterError extends Error {
  name = "RetryAfterError";
  /** When the retry is due, as a Date's ISO string or a number of seconds (Inngest's encoding). */
  retryAfter;
  constructor(message, retryAfter, options) {
    super(message, options);
    if (retryAfter instanceof Date) {
      this.retryAfter = retryAfter.toISOString();
    } else {
      const delay = parseDurationMs(retryAfter);
      if (delay === void 0) throw new TypeError('retryAfter must be a number of milliseconds, a duration string ("30s", "1h30m") or a Date');
      this.retryAfter = String(Math.ceil(delay / 1e3));
    }
  }
}
const MIN_RETRY_AFTER_MS = 1e3;
const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1e3;
function retryAfterTime(error, now) {
  if (!(error instanceof Error) || error.name !== "RetryAfterError") return void 0;
  const value = String(error.retryAfter ?? "");
  const at = /^\d+$/.test(value) ? now + Number(value) * 1e3 : Date.parse(value);
  if (Number.isNaN(at)) return void 0;
  return Math.min(Math.max(at, now + MIN_RETRY_AFTER_MS), now + MAX_RETRY_AFTER_MS);
}
export {
  RetryAfterError,
  retryAfterTime
};
