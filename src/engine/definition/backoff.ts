import { isNonRetriableError } from "./non-retriable-error.ts";
import { retryAfterTime } from "./retry-after-error.ts";
import { isStepError } from "./step-error.ts";

export const MAX_BACKOFF_MS = 60 * 60 * 1000;

/**
 * Exponential backoff with jitter: base·2^(n-1), capped at an hour, then a random 50-100% of it
 * so that many runs failing together (an API down) do not all retry in the same instant.
 */
export function backoffDelay(failedAttempts: number, baseMs: number, random: () => number = Math.random): number {
  const exponential = Math.min(baseMs * 2 ** Math.max(failedAttempts - 1, 0), MAX_BACKOFF_MS);
  return Math.round(exponential * (0.5 + random() / 2));
}

export type RetryDecision = { kind: "retry"; at: number } | { kind: "fail" };

/**
 * Whether a failed attempt gets another, and when. `failedAttempts` counts this one; a function
 * with `retries: 4` tries five times in all.
 */
export function decideRetry(input: {
  error: unknown;
  failedAttempts: number;
  retries: number;
  now: number;
  baseMs: number;
  random?: () => number;
}): RetryDecision {
  if (isNonRetriableError(input.error) || isStepError(input.error)) return { kind: "fail" };
  if (input.failedAttempts > input.retries) return { kind: "fail" };
  const requested = retryAfterTime(input.error, input.now);
  const at = requested ?? input.now + backoffDelay(input.failedAttempts, input.baseMs, input.random);
  return { kind: "retry", at };
}
