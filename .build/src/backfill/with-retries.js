import { backoffDelay } from "../engine/backoff.js";
const DEFAULT_RETRY = { attempts: 6, baseMs: 1e3, maxWaits: 50 };
class RetriesExhaustedError extends Error {
  name = "RetriesExhaustedError";
}
async function withRetries(call, classify, policy) {
  let failures = 0;
  let waits = 0;
  for (; ; ) {
    try {
      return await call();
    } catch (error) {
      const failure = classify(error);
      if (failure.kind === "fail") throw failure.error;
      let ms;
      if (failure.kind === "wait") {
        if (++waits > policy.maxWaits) throw new RetriesExhaustedError(`still ${failure.reason} after ${policy.maxWaits} waits`, { cause: error });
        ms = failure.ms;
      } else {
        if (++failures >= policy.attempts) throw new RetriesExhaustedError(`${failure.reason} (${failures} attempts)`, { cause: error });
        ms = backoffDelay(failures, policy.baseMs);
      }
      policy.onWait?.({ ms, reason: failure.reason });
      await policy.sleep(ms);
    }
  }
}
export {
  DEFAULT_RETRY,
  RetriesExhaustedError,
  withRetries
};
