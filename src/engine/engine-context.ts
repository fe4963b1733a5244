import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { AcceptDeps } from "../events/accept-events.ts";
import type { EventLog } from "../events/event-log.ts";
import type { Logger } from "../logger.ts";
import type { BridgeMetrics } from "../metrics/create-metrics.ts";
import type { Registry } from "./registry.ts";
import type { RunStore } from "./run-store.ts";
import type { Waiters } from "./waiters.ts";

/** Everything the router and the executor share, built once by startWorkers and passed down. */
export interface EngineContext {
  redis: Redis;
  prefix: string;
  retentionMs: number;
  logger: Logger;
  registry: Registry;
  store: RunStore;
  waiters: Waiters;
  eventLog: EventLog;
  /** Where sendEvent and system events go: the intake's own path. */
  accept: AcceptDeps;
  runsQueue: Queue;
  /** Base of the exponential backoff between retries (1 s in production; tests shorten it). */
  retryBaseMs: number;
  /** How long a concurrency slot is held without renewal (a crashed holder frees it then). */
  concurrencyLeaseMs: number;
  /** Runs by final status and step durations, for /metrics. */
  metrics?: BridgeMetrics;
}
