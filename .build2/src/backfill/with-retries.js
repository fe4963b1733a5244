import { backoffDelay } from "../engine/backoff.js";
export const DEFAULT_RETRY = { attempts: 6, baseMs: 1000, maxWaits: 50 };
/** A transient failure that outlasted the retries: the run stops, and a later run resumes. */
export class RetriesExhaustedError extends Error {
    name = "RetriesExhaustedError";
}
/**
 * Calls `call` until it succeeds, waiting between attempts as `classify` says. Used for both ends
 * of the backfill: Clerk's Backend API (which does not retry by itself: its client throws a
 * ClerkAPIResponseError carrying `status` and `retryAfter`) and the bridge's intake.
 */
export async function withRetries(call, classify, policy) {
    let failures = 0;
    let waits = 0;
    for (;;) {
        try {
            return await call();
        }
        catch (error) {
            const failure = classify(error);
            if (failure.kind === "fail")
                throw failure.error;
            let ms;
            if (failure.kind === "wait") {
                if (++waits > policy.maxWaits)
                    throw new RetriesExhaustedError(`still ${failure.reason} after ${policy.maxWaits} waits`, { cause: error });
                ms = failure.ms;
            }
            else {
                if (++failures >= policy.attempts)
                    throw new RetriesExhaustedError(`${failure.reason} (${failures} attempts)`, { cause: error });
                ms = backoffDelay(failures, policy.baseMs);
            }
            policy.onWait?.({ ms, reason: failure.reason });
            await policy.sleep(ms);
        }
    }
}
