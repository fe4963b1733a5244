import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { BridgeError } from "../errors.js";
import { digest } from "../redis/keys.js";
/** A wrong ADMIN_TOKEN, at /login or as a Bearer token: the 10th within 15 minutes blocks for 15 minutes. */
export const ADMIN_FAILURES = { failures: 10, windowSeconds: 15 * 60, blockSeconds: 15 * 60 };
/** A wrong Event API key: more room, since a misconfigured sender retries on its own. */
export const EVENT_KEY_FAILURES = { failures: 30, windowSeconds: 10 * 60, blockSeconds: 10 * 60 };
/**
 * rate-limiter-flexible on Redis, so every process and every receiver share one count. When Redis
 * fails, each process goes on counting in memory (the insurance limiter) rather than failing open
 * (a Redis outage would let a brute force through) or closed (it would lock operators out for as
 * long as it lasts). Addresses are digested before they become keys: behind a trusted proxy,
 * `req.ip` is whatever the client wrote into X-Forwarded-For.
 */
export function createFailureLimiter(redis, keyPrefix, limit) {
    // The library refuses the consume that goes past `points`: that is the blocking failure.
    const options = { points: limit.failures - 1, duration: limit.windowSeconds, blockDuration: limit.blockSeconds };
    // Counts while Redis is away; read directly by local checks, which must see its blocks too.
    const insurance = new RateLimiterMemory({ ...options, keyPrefix });
    const limiter = new RateLimiterRedis({
        ...options,
        storeClient: redis,
        keyPrefix,
        // Fall to the insurance limiter at once while disconnected, instead of after a timeout.
        rejectIfRedisNotReady: true,
        // A blocked address is also remembered in this process, so hot paths can check without Redis.
        inMemoryBlockOnConsumed: limit.failures,
        inMemoryBlockDuration: limit.blockSeconds,
        insuranceLimiter: insurance,
    });
    const blockedIn = async (store, key) => {
        const state = await store.get(key);
        return state && state.consumedPoints >= limit.failures ? state.msBeforeNext : 0;
    };
    return {
        async blockedFor(address, { local = false } = {}) {
            const key = digest(address);
            const inMemory = limiter.getInMemoryBlockMsBeforeExpire(limiter.getKey(key));
            if (inMemory > 0)
                return inMemory;
            return local ? await blockedIn(insurance, key) : await blockedIn(limiter, key);
        },
        async recordFailure(address) {
            try {
                await limiter.consume(digest(address));
                return 0;
            }
            catch (outcome) {
                if (outcome instanceof RateLimiterRes)
                    return Math.max(1, outcome.msBeforeNext);
                throw outcome;
            }
        },
    };
}
/** The 429 for a blocked address, with Retry-After. */
export function tooManyFailures(blockedMs) {
    const seconds = Math.ceil(blockedMs / 1000);
    return new BridgeError("too_many_requests", `too many failed attempts from this address; retry in ${seconds} s`, { retryAfterSeconds: seconds });
}
