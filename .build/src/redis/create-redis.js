import { Redis } from "ioredis";
const DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";
const RECONNECT = (attempt) => Math.min(attempt * 200, 2e3);
function createCommandClient(url, options = {}) {
  return new Redis(url, {
    enableAutoPipelining: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2e3,
    // A command Redis does not answer in 2 s fails, so a webhook gets 503 well inside Svix's 15 s.
    commandTimeout: 2e3,
    retryStrategy: RECONNECT,
    ...options
  });
}
function createWorkerClient(url, options = {}) {
  return new Redis(url, {
    maxRetriesPerRequest: null,
    retryStrategy: RECONNECT,
    ...options
  });
}
function createEngineClient(url, options = {}) {
  return new Redis(url, {
    enableAutoPipelining: true,
    maxRetriesPerRequest: null,
    retryStrategy: RECONNECT,
    ...options
  });
}
export {
  DEFAULT_REDIS_URL,
  RECONNECT,
  createCommandClient,
  createEngineClient,
  createWorkerClient
};
