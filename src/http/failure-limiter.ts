import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { BridgeError } from "../errors.ts";
import { digest } from "../redis/keys.ts";

/**
 * Counts failed attempts (a wrong ADMIN_TOKEN at /login or as a Bearer token, a wrong Event API
 * key) per client address, and blocks an address that fails too often, for every attempt, right
 * or wrong: a block that let the right guess through would not stop a brute force.
 */
export interface FailureLimiter {
  /** Milliseconds until the address may try again; 0 when it may now. `local` skips Redis (hot paths). */
  blockedFor(address: string, options?: { local?: boolean }): Promise<number>;
  /** Counts one failure; answers the milliseconds the address is now blocked for (0: not blocked). */
  recordFailure(address: string): Promise<number>;
}

export interface FailureLimit {
  /** The failure within `windowSeconds` that blocks the address (it is answered 429 itself). */
  failures: number;
  windowSeconds: number;
  /** How long an address that went over is refused. */
  blockSeconds: number;
}

/** A wrong ADMIN_TOKEN, at /login or as a Bearer token: the 10th within 15 minutes blocks for 15 minutes. */
export const ADMIN_FAILURES: FailureLimit = { failures: 10, windowSeconds: 15 * 60, blockSeconds: 15 * 60 };
/**
 * A webhook delivery that fails verification (bad signature, stale timestamp, missing headers):
 * Svix with a rotated secret fails a few times a minute; a flood fails hundreds of times a second.
 */
export const SIGNATURE_FAILURES: FailureLimit = { failures: 100, windowSeconds: 60, blockSeconds: 60 };
/** A wrong Event API key: more room, since a misconfigured sender retries on its own. */
export const EVENT_KEY_FAILURES: FailureLimit = { failures: 30, windowSeconds: 10 * 60, blockSeconds: 10 * 60 };

/**
 * rate-limiter-flexible on Redis, so every process and every receiver share one count. When Redis
 * fails, each process goes on counting in memory (the insurance limiter) rather than failing open
 * (a Redis outage would let a brute force through) or closed (it would lock operators out for as
 * long as it lasts). Addresses are digested before they become keys: behind a trusted proxy,
 * `req.ip` is whatever the client wrote into X-Forwarded-For.
 */
export function createFailureLimiter(redis: Redis, keyPrefix: string, limit: FailureLimit): FailureLimiter {
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
  const blockedIn = async (store: RateLimiterMemory | RateLimiterRedis, key: string) => {
    const state = await store.get(key);
    return state && state.consumedPoints >= limit.failures ? state.msBeforeNext : 0;
  };

  return {
    async blockedFor(address, { local = false } = {}) {
      const key = digest(address);
      const inMemory = (limiter as unknown as InMemoryBlocks).getInMemoryBlockMsBeforeExpire(limiter.getKey(key));
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
    },
  };
}

/** The 429 for a blocked address, with Retry-After. */
export function tooManyFailures(blockedMs: number): BridgeError {
  const seconds = Math.ceil(blockedMs / 1000);
  return new BridgeError("too_many_requests", `too many failed attempts from this address; retry in ${seconds} s`, {
    retryAfterSeconds: seconds,
  });
}

/** A public method of rate-limiter-flexible's store limiters that its type declarations leave out. */
interface InMemoryBlocks {
  getInMemoryBlockMsBeforeExpire(rlKey: string): number;
}
