import { isNonRetriableError } from "./non-retriable-error.js";
import { retryAfterTime } from "./retry-after-error.js";
import { isStepError } from "./step-error.js";
const MAX_BACKOFF_MS = 60 * 60 * 1e3;
function backoffDelay(failedAttempts, baseMs, random = Math.random) {
  const exponential = Math.min(baseMs * 2 ** Math.max(failedAttempts - 1, 0), MAX_BACKOFF_MS);
  return Math.round(exponential * (0.5 + random() / 2));
}
function decideRetry(input) {
  if (isNonRetriableError(input.error) || isStepError(input.error)) return { kind: "fail" };
  if (input.failedAttempts > input.retries) return { kind: "fail" };
  const requested = retryAfterTime(input.error, input.now);
  const at = requested ?? input.now + backoffDelay(input.failedAttempts, input.baseMs, input.random);
  return { kind: "retry", at };
}
export {
  MAX_BACKOFF_MS,
  backoffDelay,
  decideRetry
};
