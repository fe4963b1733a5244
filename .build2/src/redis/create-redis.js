import { Redis } from "ioredis";
export const DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";
/** Reconnect every 200 ms more, up to every 2 s, for as long as it takes. */
export const RECONNECT = (attempt) => Math.min(attempt * 200, 2000);
/**
 * A client for commands on the request path. It fails fast instead of queueing while Redis is
 * away (`enableOfflineQueue: false`), so a webhook is answered 503 at once and Svix retries, and
 * it batches concurrent requests' commands into one write (`enableAutoPipelining`).
 */
export function createCommandClient(url, options = {}) {
    return new Redis(url, {
        enableAutoPipelining: true,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        connectTimeout: 2000,
        // A command Redis does not answer in 2 s fails, so a webhook gets 503 well inside Svix's 15 s.
        commandTimeout: 2000,
        retryStrategy: RECONNECT,
        ...options,
    });
}
/** A client for BullMQ workers and event readers: blocking commands need `maxRetriesPerRequest: null`. */
export function createWorkerClient(url, options = {}) {
    return new Redis(url, {
        maxRetriesPerRequest: null,
        retryStrategy: RECONNECT,
        ...options,
    });
}
/**
 * The engine's command client (run state, waiters, the runs queue). No command timeout, and
 * commands wait while Redis reconnects: a slow acknowledgement of a step's result must not fail
 * the step (it would run again). Batches concurrent commands like the request path's client.
 */
export function createEngineClient(url, options = {}) {
    return new Redis(url, {
        enableAutoPipelining: true,
        maxRetriesPerRequest: null,
        retryStrategy: RECONNECT,
        ...options,
    });
}
