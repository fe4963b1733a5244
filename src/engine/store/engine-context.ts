import type { Queue } from "bullmq";
import type { Sealer } from "../../crypto/sealer.ts";
import type { Redis } from "ioredis";
import type { EngineOptions } from "../../config/load-config.ts";
import type { AcceptDeps } from "../../events/accept-events.ts";
import type { EventLog } from "../../events/event-log.ts";
import type { Logger } from "../../logger.ts";
import type { BridgeMetrics } from "../../metrics/create-metrics.ts";
import type { BridgeKeys } from "../../redis/keys.ts";
import type { OutboundFetch } from "../../outbound/outbound-fetch.ts";
import type { RedisHealth } from "../../redis/redis-health.ts";
import type { FunctionPauses } from "./function-pauses.ts";
import type { Registry } from "../definition/registry.ts";
import type { RunCommands } from "./run-commands.ts";
import type { RunLedger } from "./run-ledger.ts";
import type { Waiters } from "./waiters.ts";
import type { Tombstones } from "../../events/tombstones.ts";

/** What the router and the executor use, handed over by startWorkers; they build nothing. */
export interface EngineContext {
  options: EngineOptions;
  logger: Logger;
  /** Commands (auto-pipelined): run state, waiters, slots. */
  redis: Redis;
  keys: BridgeKeys;
  registry: Registry;
  ledger: RunLedger;
  /** cancelOn cancels through the same command an operator uses. */
  commands: RunCommands;
  waiters: Waiters;
  eventLog: EventLog;
  /** Where sendEvent and system events go: the intake's own path. */
  accept: AcceptDeps;
  runsQueue: Queue;
  /** Opens what the intake sealed (ENCRYPTION_KEY); the identity without a key. */
  sealer: Sealer;
  /** Runs by final status and step durations, for /metrics. */
  metrics?: BridgeMetrics;
  /** Functions an operator paused; absent, none ever is. */
  pauses?: FunctionPauses;
  /** Erased users (TOMBSTONE_TTL): an event naming one starts nothing; absent, none is checked. */
  tombstones?: Pick<Tombstones, "anyErased">;
  /** Where Redis outages are reported, to be logged once (redis-health.ts). */
  redisHealth?: Pick<RedisHealth, "absorb">;
  /** What step.fetch fetches with: the address policy (FETCH_ALLOW_PRIVATE) applied. */
  outbound: OutboundFetch;
}
