import { backoffDelay } from "../engine/definition/backoff.ts";

/** How a failed call is treated: wait as told, back off and try again, or give up at once. */
export type FailureKind =
  /** The server said when to come back (429 with Retry-After): wait that long; no attempt is used up. */
  | { kind: "wait"; ms: number; reason: string }
  /** Probably passing (5xx, 503 redis_unavailable, a connection refused): exponential backoff. */
  | { kind: "backoff"; reason: string }
  /** Retrying cannot help (a refused key, a reserved name): the error to throw. */
  | { kind: "fail"; error: Error };

export interface RetryPolicy {
  /** Attempts for transient failures before giving up (the run can be resumed later). */
  attempts: number;
  baseMs: number;
  /** Consecutive rate-limit waits before giving up: Clerk's window is 10 s, so many in a row means something is off. */
  maxWaits: number;
  sleep(ms: number): Promise<void>;
  /** Told before each wait, for the progress display. */
  onWait?(wait: { ms: number; reason: string }): void;
}

export const DEFAULT_RETRY: Omit<RetryPolicy, "sleep"> = { attempts: 6, baseMs: 1000, maxWaits: 50 };

/** A transient failure that outlasted the retries: the run stops, and a later run resumes. */
export class RetriesExhaustedError extends Error {
  override name = "RetriesExhaustedError";
}

/**
 * Calls `call` until it succeeds, waiting between attempts as `classify` says. Used for both ends
 * of the backfill: Clerk's Backend API (which does not retry by itself: its client throws a
 * ClerkAPIResponseError carrying `status` and `retryAfter`) and the bridge's intake.
 */
export async function withRetries<T>(
  call: () => Promise<T>,
  classify: (error: unknown) => FailureKind,
  policy: RetryPolicy,
): Promise<T> {
  let failures = 0;
  let waits = 0;
  for (;;) {
    try {
      return await call();
    } catch (error) {
      const failure = classify(error);
      if (failure.kind === "fail") throw failure.error;
      let ms: number;
      if (failure.kind === "wait") {
        if (++waits > policy.maxWaits)
          throw new RetriesExhaustedError(`still ${failure.reason} after ${policy.maxWaits} waits`, { cause: error });
        ms = failure.ms;
      } else {
        if (++failures >= policy.attempts)
          throw new RetriesExhaustedError(`${failure.reason} (${failures} attempts)`, { cause: error });
        ms = backoffDelay(failures, policy.baseMs);
      }
      policy.onWait?.({ ms, reason: failure.reason });
      await policy.sleep(ms);
    }
  }
}
