import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { BridgeError } from "../errors.js";
import { digest } from "../redis/keys.js";
const ADMIN_FAILURES = { failures: 10, windowSeconds: 15 * 60, blockSeconds: 15 * 60 };
const EVENT_KEY_FAILURES = { failures: 30, windowSeconds: 10 * 60, blockSeconds: 10 * 60 };
function createFailureLimiter(redis, keyPrefix, limit) {
  const options = { points: limit.failures - 1, duration: limit.windowSeconds, blockDuration: limit.blockSeconds };
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
    insuranceLimiter: insurance
  });
  const blockedIn = async (store, key) => {
    const state = await store.get(key);
    return state && state.consumedPoints >= limit.failures ? state.msBeforeNext : 0;
  };
  return {
    async blockedFor(address, { local = false } = {}) {
      const key = digest(address);
      const inMemory = limiter.getInMemoryBlockMsBeforeExpire(limiter.getKey(key));
      if (inMemory > 0) return inMemory;
      return local ? await blockedIn(insurance, key) : await blockedIn(limiter, key);
    },
    async recordFailure(address) {
      try {
        await limiter.consume(digest(address));
        return 0;
      } catch (outcome) {
        if (outcome instanceof RateLimiterRes) return Math.max(1, outcome.msBeforeNext);
        throw outcome;
      }
    }
  };
}
function tooManyFailures(blockedMs) {
  const seconds = Math.ceil(blockedMs / 1e3);
  return new BridgeError("too_many_requests", `too many failed attempts from this address; retry in ${seconds} s`, { retryAfterSeconds: seconds });
}
export {
  ADMIN_FAILURES,
  EVENT_KEY_FAILURES,
  createFailureLimiter,
  tooManyFailures
};
