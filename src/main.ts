import type { Server } from "node:http";
import { Queue, QueueEvents } from "bullmq";
import { ConfigError, loadConfig, type Config, type Role } from "./config.ts";
import { createOperatorRouters } from "./dashboard/create-operator-routers.ts";
import { publishFunctions } from "./dashboard/function-directory.ts";
import { FunctionDefinitionError, type BridgeFunction } from "./engine/index.ts";
import { startWorkers } from "./engine/start-workers.ts";
import { FunctionLoadError, loadFunctions } from "./functions/index.ts";
import { createApp } from "./http/create-app.ts";
import { createWorkerApp } from "./http/create-worker-app.ts";
import { countDeduplications } from "./metrics/count-deduplications.ts";
import { createMetrics, observeQueues, type BridgeMetrics } from "./metrics/create-metrics.ts";
import { createLogger, type Logger } from "./logger.ts";
import { EVENTS_QUEUE, keyPrefix, RUNS_QUEUE } from "./queue/queue-names.ts";
import { checkRedisDurability } from "./redis/check-redis-durability.ts";
import { createCommandClient, createWorkerClient } from "./redis/create-redis.ts";
import { ensureLocalRedis, RedisUnavailableError } from "./redis/ensure-local-redis.ts";
import { loadTransforms, TransformLoadError } from "./transforms/load-transforms.ts";
import { createSvixVerifier } from "./webhooks/verify-svix-signature.ts";

/**
 * The composition root: the only module that reads process.env or creates clients. It parses
 * config, connects Redis, loads templates (a broken one stops the start), then runs the roles.
 */
export interface RunningBridge {
  server?: Server;
  stop(): Promise<void>;
}

export async function startBridge(env: NodeJS.ProcessEnv, roleOverride?: Role): Promise<RunningBridge> {
  const config = loadConfig(roleOverride ? { ...env, ROLE: roleOverride } : env);
  const logger = createLogger(config.logLevel);
  const localRedis = await ensureLocalRedis(config.redisUrl, config.dataDir);
  if (localRedis.child) logger.warn({ dataDir: config.dataDir }, "REDIS_URL is not set: started a private redis-server on 127.0.0.1:6379 (AOF on)");

  const redis = createCommandClient(localRedis.url, { lazyConnect: true });
  // ioredis reconnects by itself; without a listener each failed attempt is an "Unhandled error event".
  redis.on("error", (error) => logger.warn({ err: error.message }, "Redis connection error"));
  await redis.connect();
  for (const warning of await checkRedisDurability(redis)) logger.warn(warning);

  const stops: Array<() => Promise<unknown>> = [];
  // One registry per process: with role "all", /metrics shows the receiver and the workers.
  const metrics = createMetrics();
  // The function registry as the dashboard's functions page shows it; set where functions load.
  let registry: readonly BridgeFunction[] = [];
  let server: Server | undefined;
  if (config.role === "all" || config.role === "receiver") {
    const operator = { functions: () => registry, createBlockingClient: () => createWorkerClient(localRedis.url) };
    server = await startReceiver(config, logger, redis, stops, operator, metrics);
  }
  if (config.role === "all" || config.role === "worker") {
    registry = await startWorkerRole(config, logger, redis, localRedis.url, stops, metrics);
    // So that a receiver started with --role receiver can show them on its functions page.
    await publishFunctions(redis, config.redisPrefix, registry);
    if (!server) server = await listen(createWorkerApp(redis, metrics), config, stops);
  }
  stops.push(() => redis.quit());
  if (localRedis.child) stops.push(async () => localRedis.child?.kill("SIGTERM"));

  return {
    server,
    async stop() {
      for (const stop of stops) await stop().catch((error) => logger.warn({ err: error }, "error while stopping"));
    },
  };
}

async function startReceiver(
  config: Config,
  logger: Logger,
  redis: ReturnType<typeof createCommandClient>,
  stops: Array<() => Promise<unknown>>,
  operatorDeps: { functions: () => readonly BridgeFunction[]; createBlockingClient: () => ReturnType<typeof createWorkerClient> },
  metrics: BridgeMetrics,
): Promise<Server> {
  const transforms = await loadTransforms(config.transformsDir);
  const verifiers = new Map(
    Object.entries(config.webhookSecrets).map(([source, secrets]) => [source, createSvixVerifier(secrets)]),
  );
  for (const source of transforms.keys()) {
    if (!verifiers.has(source)) {
      logger.warn({ source }, `${source.toUpperCase()}_WEBHOOK_SECRET is not set: every /webhooks/${source} delivery will be rejected with 401`);
    }
  }
  if (config.eventKeys.length === 0) {
    logger.warn("EVENT_KEYS is not set: the Event API (POST /e/:key) accepts any key (development mode)");
  }
  const eventsQueue = new Queue(EVENTS_QUEUE, { connection: redis, prefix: keyPrefix(config.redisPrefix) });
  const runsQueue = new Queue(RUNS_QUEUE, { connection: redis, prefix: keyPrefix(config.redisPrefix) });
  const operator = createOperatorRouters({ config, logger, redis, eventsQueue, runsQueue, ...operatorDeps });
  observeQueues(metrics, { events: eventsQueue, runs: runsQueue });
  // Duplicates are reported on the queue's event stream, not to `add`: counted off the request path.
  const queueEventsClient = operatorDeps.createBlockingClient();
  const queueEvents = new QueueEvents(EVENTS_QUEUE, { connection: queueEventsClient, prefix: keyPrefix(config.redisPrefix) });
  countDeduplications(queueEvents, metrics);
  const app = createApp({ config, logger, redis, eventsQueue, transforms, verifiers, routers: operator.routers, metrics });
  // Live streams first: server.close() waits for every open connection to end.
  stops.push(() => operator.close());
  const server = await listen(app, config, stops);
  logger.info({ port: config.port, sources: [...transforms.keys()] }, `receiving webhooks on http://localhost:${config.port}`);
  stops.push(() => queueEvents.close());
  // BullMQ leaves a connection it was given open on close(); it would keep the process alive.
  stops.push(() => queueEventsClient.quit());
  stops.push(() => eventsQueue.close());
  stops.push(() => runsQueue.close());
  return server;
}

async function listen(app: ReturnType<typeof createWorkerApp>, config: Config, stops: Array<() => Promise<unknown>>): Promise<Server> {
  const server = app.listen(config.port, config.host);
  await new Promise<void>((resolve, reject) => server.once("listening", resolve).once("error", reject));
  stops.push(() => new Promise((resolve) => server.close(resolve)));
  return server;
}

/**
 * The router and the executor. Stopping drains: BullMQ's worker.close() waits for the active
 * jobs (a run finishes its step or suspends), and whatever is left resumes on the next worker.
 */
async function startWorkerRole(
  config: Config,
  logger: Logger,
  redis: ReturnType<typeof createCommandClient>,
  redisUrl: string,
  stops: Array<() => Promise<unknown>>,
  metrics: BridgeMetrics,
): Promise<readonly BridgeFunction[]> {
  const loaded = await loadFunctions({ config, logger, redis });
  const connection = createWorkerClient(redisUrl);
  connection.on("error", (error) => logger.warn({ err: error.message }, "Redis connection error (workers)"));
  try {
    const workers = await startWorkers({
      redis,
      connection,
      logger,
      functions: loaded.functions,
      prefix: config.redisPrefix,
      retentionMs: config.retentionMs,
      dedupeWindowMs: config.dedupeWindowMs,
      concurrency: config.workerConcurrency,
      // A killed worker's runs go back to the queue once its lock lapses; checked as often.
      lockDurationMs: config.workerLockDurationMs,
      stalledIntervalMs: config.workerLockDurationMs,
      metrics,
    });
    stops.push(() => workers.close());
    stops.push(() => loaded.close());
    stops.push(() => connection.quit());
    return workers.registry.functions;
  } catch (error) {
    await loaded.close();
    connection.disconnect();
    throw error;
  }
}

function roleFromArgv(argv: string[]): Role | undefined {
  const index = argv.indexOf("--role");
  const value = index >= 0 ? argv[index + 1] : argv.find((arg) => arg.startsWith("--role="))?.slice(7);
  return value as Role | undefined;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  startBridge(process.env, roleFromArgv(process.argv.slice(2)))
    .then((bridge) => {
      const shutdown = (signal: string) => {
        process.stderr.write(`${signal}: draining and stopping\n`);
        void bridge.stop().then(() => process.exit(0));
      };
      process.once("SIGTERM", () => shutdown("SIGTERM"));
      process.once("SIGINT", () => shutdown("SIGINT"));
    })
    .catch((error: unknown) => {
      const known = [ConfigError, TransformLoadError, RedisUnavailableError, FunctionLoadError, FunctionDefinitionError].some((type) => error instanceof type);
      process.stderr.write(`clerk-webhook-bridge cannot start: ${known ? (error as Error).message : (error as Error).stack}\n`);
      process.exit(1);
    });
}
