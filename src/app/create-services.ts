import { QueueEvents } from "bullmq";
import type { BulkJobProcessor } from "../bulk/bulk-queue.ts";
import type { Redis } from "ioredis";
import type { Config } from "../config/load-config.ts";
import { createAuditLog } from "../audit/audit-log.ts";
import { createDeliveryLog } from "../deliveries/delivery-log.ts";
import { createOutboundFetch, type OutboundFetch } from "../outbound/outbound-fetch.ts";
import {
  ADMIN_FAILURES,
  createFailureLimiter,
  EVENT_KEY_FAILURES,
  SIGNATURE_FAILURES,
} from "../http/failure-limiter.ts";
import type { Logger } from "../logger.ts";
import { countDeduplications } from "../metrics/count-deduplications.ts";
import { createMetrics, observeQueues, type BridgeMetrics } from "../metrics/create-metrics.ts";
import { EVENTS_QUEUE, RUNS_QUEUE } from "../queue/queue-names.ts";
import { checkRedisDurability } from "../redis/check-redis-durability.ts";
import { checkRedisMemory } from "../redis/check-redis-memory.ts";
import { connectRedis, redactUrl } from "../redis/connect-redis.ts";
import { createEngineClient, createWorkerClient } from "../redis/create-redis.ts";
import { ensureLocalRedis } from "../redis/ensure-local-redis.ts";
import { createRedisHealth, type RedisHealth } from "../redis/redis-health.ts";
import { bridgeKeys, type BridgeKeys } from "../redis/keys.ts";
import { checkEncryptionKey } from "../crypto/check-encryption-key.ts";
import { createSealer, type Sealer } from "../crypto/sealer.ts";
import { createClosers, type Closers } from "./closers.ts";
import { createStores } from "./create-stores.ts";
import { openOperatorQueue, startOperatorWorker } from "./operator-queue.ts";

/**
 * The composition root's one builder: every Redis client, queue and store of the process, made
 * once from the compiled config and closed through one stack. Everything downstream (the
 * receiver, the workers, the operator API) receives what it uses from here and builds nothing.
 */
export async function createServices(config: Config, logger: Logger) {
  const closers = createClosers(logger);
  try {
    const localRedis = await ensureLocalRedis(config.redisUrl, config.dataDir);
    if (localRedis.child) {
      logger.warn(
        { dataDir: config.dataDir },
        "REDIS_URL is not set: started a private redis-server on 127.0.0.1:6379 (AOF on)",
      );
      closers.push("private redis-server", () => localRedis.child?.kill("SIGTERM"));
    }
    const redis = await connectRedis(localRedis.url);
    closers.push("redis", () => redis.quit());
    // ioredis reconnects by itself; without a listener each failed attempt is an "Unhandled error event".
    // Every client and queue reports to one place, which logs an outage once (redis-health.ts).
    const probeKey = bridgeKeys(config.redisPrefix).healthProbe;
    const redisHealth = createRedisHealth({
      logger,
      probe: () => redis.set(probeKey, "1", "PX", 60_000),
      memoryInfo: () => redis.info("memory"),
      intervalMs: config.redisReportIntervalMs,
    });
    closers.push("redis health", async () => redisHealth.close());
    redisHealth.watch(redis, "commands");
    logger.info({ redis: redactUrl(localRedis.url), prefix: config.redisPrefix }, "Redis: connected");
    for (const warning of await checkRedisDurability(redis)) logger.warn(warning);
    const memoryAdvice = await checkRedisMemory(redis);
    if (memoryAdvice) logger.info(memoryAdvice);
    const sealer = createSealer(config.encryptionKeys);
    await checkEncryptionKey(redis, bridgeKeys(config.redisPrefix), sealer, logger);
    return {
      ...buildOnRedis(config, logger, redis, localRedis.url, closers, sealer, redisHealth),
      redisHealth,
      close: () => closers.closeAll(),
    };
  } catch (error) {
    await closers.closeAll();
    throw error;
  }
}

export type Services = Awaited<ReturnType<typeof createServices>>;

function buildOnRedis(
  config: Config,
  logger: Logger,
  redis: Redis,
  redisUrl: string,
  closers: Closers,
  sealer: Sealer,
  health: RedisHealth,
) {
  const keys = bridgeKeys(config.redisPrefix);
  /** A connection of its own for a blocking reader (BullMQ workers, event streams). */
  const createBlockingClient = (): Redis => {
    const client = createWorkerClient(redisUrl);
    health.watch(client, "blocking reader");
    return client;
  };
  // One registry per process: with role "all", /metrics shows the receiver and the workers.
  const metrics = createMetrics();
  const requestPath = createStores(redis, { config, keys, metrics, closers, sealer, name: "request path" });
  observeQueues(metrics, requestPath.queues);
  const engine =
    config.role === "receiver"
      ? undefined
      : createEngineStores(config, redisUrl, { keys, metrics, closers, sealer, health });
  // BullMQ prints a queue's error with console.error when nobody listens: one stack trace per reconnection.
  for (const [name, queue] of Object.entries({ ...requestPath.queues })) health.watch(queue, `${name} queue`);
  if (engine) for (const [name, queue] of Object.entries(engine.queues)) health.watch(queue, `${name} queue (engine)`);

  /**
   * Counts deduplicated deliveries off the request path, from the events queue's event stream;
   * `watchers` read the same stream (the delivery log, the event names), each answering its stop.
   * Answers the reader (`waitUntilReady()` resolves once it listens: it sees what happens from then on).
   */
  const watchDeduplications = (...watchers: Array<(reader: QueueEvents) => (() => Promise<void>) | void>) => {
    const client = createBlockingClient();
    const reader = new QueueEvents(EVENTS_QUEUE, { connection: client, prefix: keys.tag });
    health.watch(reader, "events stream reader");
    countDeduplications(reader, metrics);
    const stops = watchers.map((watch) => watch(reader));
    // BullMQ leaves a connection it was given open on close(); it would keep the process alive.
    closers.push("deduplication reader", async () => {
      await reader.close();
      await Promise.all(stops.map((stop) => stop?.()));
      await client.quit();
    });
    return reader;
  };

  /** The two queues' event streams, for the dashboard's live view; each reader has its own connection. */
  const openQueueReaders = () => {
    const clients = [createBlockingClient(), createBlockingClient()] as const;
    const events = new QueueEvents(EVENTS_QUEUE, { connection: clients[0], prefix: keys.tag });
    const runs = new QueueEvents(RUNS_QUEUE, { connection: clients[1], prefix: keys.tag });
    health.watch(events, "live events reader");
    health.watch(runs, "live runs reader");
    return {
      events,
      runs,
      async close() {
        await Promise.all([events.close(), runs.close()]);
        for (const client of clients) client.disconnect();
      },
    };
  };

  return {
    config,
    logger,
    keys,
    metrics,
    sealer,
    ...requestPath,
    /** The operators' audit log; `audit.record(...)` from any operator action. */
    audit: createAuditLog(redis, keys),
    /** Webhook deliveries that were refused, redelivered or re-run (the accepted ones are their events). */
    deliveries: createDeliveryLog({ redis, keys, retentionMs: config.retentionMs, sealer }),
    /** Outgoing HTTP (step.fetch, destinations) through the address policy (FETCH_ALLOW_PRIVATE). */
    outbound: openOutbound(config, closers),
    /** Failed attempts per client address, shared by every process through Redis. */
    limiters: {
      admin: createFailureLimiter(redis, keys.failureLimiter("admin"), ADMIN_FAILURES),
      eventKeys: createFailureLimiter(redis, keys.failureLimiter("event-key"), EVENT_KEY_FAILURES),
      signatures: createFailureLimiter(redis, keys.failureLimiter("signature"), SIGNATURE_FAILURES),
    },
    /** The engine's own client and stores; absent on a receiver. */
    engine,
    createBlockingClient,
    /** The operators' queue (bulk actions), for the operator API. */
    openOperatorQueue: () => openOperatorQueue(redis, keys.tag, health),
    /** Its worker, in a worker process, on a blocking connection of its own; answers its stop. */
    startOperatorWorker: (process: BulkJobProcessor, onError: (error: Error, jobId?: string) => void) =>
      startOperatorWorker(createBlockingClient(), keys.tag, process, onError),
    openQueueReaders,
    watchDeduplications,
    closers,
  };
}

/**
 * The engine's command client has no command timeout and queues commands while Redis is away:
 * a step whose result is slow to be acknowledged must not be failed (and run again) for it.
 */
function createEngineStores(
  config: Config,
  redisUrl: string,
  deps: { keys: BridgeKeys; metrics: BridgeMetrics; closers: Closers; sealer: Sealer; health: RedisHealth },
) {
  const engineRedis = createEngineClient(redisUrl);
  deps.health.watch(engineRedis, "engine");
  deps.closers.push("engine redis", () => engineRedis.quit());
  return createStores(engineRedis, { config, ...deps, name: "engine" });
}

function openOutbound(config: Config, closers: Closers): OutboundFetch {
  const outbound = createOutboundFetch(config.outboundPolicy);
  closers.push("outbound http", () => outbound.close());
  return outbound.fetch;
}
