import type { Server } from "node:http";
import type { QueueEvents } from "bullmq";
import { startBulkJobs } from "./bulk/start-bulk-jobs.ts";
import { recordRedeliveries } from "./deliveries/record-redeliveries.ts";
import { recordEventNames } from "./search/record-event-names.ts";
import type { Express } from "express";
import { bindIntake } from "./client/intake.ts";
import { processIndex } from "./cluster/cluster-messages.ts";
import type { Config } from "./config.ts";
import { createOperatorRouters } from "./dashboard/create-operator-routers.ts";
import { publishFunctions } from "./dashboard/function-directory.ts";
import { publishDestinations } from "./destinations/destination-directory.ts";
import { createRegistry, type Registry } from "./engine/definition/registry.ts";
import type { BridgeFunction } from "./engine/definition/types.ts";
import { createEraser } from "./erasure/erase-user.ts";
import { startWorkers } from "./engine/start-workers.ts";
import { loadFunctions } from "./functions/index.ts";
import { createApp } from "./http/create-app.ts";
import { createWorkerApp } from "./http/create-worker-app.ts";
import { listen } from "./http/listen.ts";
import type { Logger } from "./logger.ts";
import { createFunctionClients, type FunctionClients } from "./services/function-clients.ts";
import { USER_SYNC_ID } from "./functions/built-in-ids.ts";
import { createPostgresPool, type Pool } from "./functions/postgres/create-pool.ts";
import { countUsers } from "./functions/postgres/users-table.ts";
import { createServices, type Services } from "./services/create-services.ts";
import { workerDepsOf } from "./services/worker-deps.ts";
import { loadTransforms, type TransformRegistry } from "./transforms/load-transforms.ts";
import type { Transform } from "./transforms/transform-types.ts";
import { queueEventStreams } from "./queue/queue-names.ts";
import { startRetentionSweep } from "./retention/sweep-retention.ts";
import { createVerifiers } from "./webhooks/verify-svix-signature.ts";
import { checkStartupWarnings, describeConfiguration } from "./startup-report.ts";

export interface RunningBridge {
  server: Server;
  stop(): Promise<void>;
}

/**
 * Starts the bridge in the order its log tells it, so nothing is announced before it can fail:
 * configuration (templates included), Redis, database, functions, workers, and `receiving
 * webhooks on ...` last, once the port is bound. /readyz can only answer once all of it stands.
 */
export async function startBridge(config: Config, logger: Logger): Promise<RunningBridge> {
  const serves = config.role !== "worker";
  const works = config.role !== "receiver";
  const transforms = serves ? await loadTransforms(config.transformsDir) : undefined;
  logger.info(describeConfiguration(config, transforms), "configuration: loaded");
  checkStartupWarnings(config, logger, transforms);

  const services = await createServices(config, logger);
  // inngest.send() anywhere in the process goes through the request path's intake, as /e/:key.
  services.closers.push("inngest.send", bindIntake(services.accept, { redis: services.redis, keys: services.keys, runsQueue: services.queues.runs, sealer: services.sealer }));
  // One process of a machine sweeps (they would all do the same); a receiver and a worker fleet each do.
  if ((processIndex() ?? 0) === 0) {
    services.closers.push("retention sweep", startRetentionSweep({ ...services, retentionMs: config.retentionMs, streams: [...queueEventStreams(services.keys.tag), services.keys.deliveries] }));
  }
  try {
    const worker = works ? await startWorkerRole(services) : undefined;
    const receiver = serves ? createReceiverApp(services, transforms as Map<string, Transform>, worker) : undefined;
    const server = await listen(receiver?.app ?? createWorkerApp({ redis: services.redis, probeKey: services.keys.healthProbe, redisHealth: services.redisHealth }, services.metrics), config);
    services.closers.push("http server", () => new Promise((resolve) => server.close(resolve)));
    // Closed before the server: server.close() waits for every open live stream to end.
    if (receiver) services.closers.push("live streams", receiver.close);
    const address = `http://localhost:${(server.address() as { port: number }).port}`;
    if (serves) {
      logger.info({ sources: [...(transforms as TransformRegistry).keys()] }, `receiving webhooks on ${address}/webhooks/<source>`);
      logger.info(`dashboard: ${address}/ (${config.adminToken ? "protected by ADMIN_TOKEN" : "loopback only: set ADMIN_TOKEN to open it to the network"})`);
    } else {
      logger.info(`worker ready: health and metrics on ${address}`);
    }
    return { server, stop: () => services.close() };
  } catch (error) {
    await services.close();
    throw error;
  }
}

/** Database, functions, then the router and the executor. */
async function startWorkerRole(services: Services): Promise<{ registry: Registry; clients: FunctionClients }> {
  const { config, logger } = services;
  const clients = await createFunctionClients(services);
  const erase = config.eraseOnDelete ? createWorkerEraser(services, clients, () => registry.functions) : undefined;
  const registry: Registry = createRegistry(await loadFunctions({ config, logger, clients, metrics: services.metrics, tombstones: (services.engine ?? services).tombstones, ...(erase ? { erase } : {}) }));
  logger.info({ functions: registry.functions.map((fn) => fn.id) }, `functions: ${registry.functions.length} registered`);
  const connection = services.createBlockingClient();
  services.closers.push("worker connection", () => connection.quit());
  const workers = await startWorkers(workerDepsOf(services, connection), registry);
  // Stopping drains: BullMQ's worker.close() waits for the active jobs (a run finishes its step
  // or suspends), and whatever is left resumes on the next worker.
  services.closers.push("workers", () => workers.close());
  // Bulk replay, retry and cancel run here, one job at a time per process.
  services.closers.push("bulk jobs", startBulkJobs(services));
  // So that a receiver started with --role receiver can show them on its functions page.
  await publishFunctions(services.redis, services.keys.functionDirectory, registry.functions);
  await publishDestinations(services.redis, services.keys.destinationDirectory, clients.destinations ?? []);
  return { registry, clients };
}

/** ERASE_ON_DELETE's eraser, on the engine's stores; the registry exists by the time a run calls it. */
function createWorkerEraser(services: Services, clients: FunctionClients, functions: () => readonly BridgeFunction[]) {
  const stores = services.engine ?? services;
  const eraser = createEraser({ ...stores, keys: services.keys, deliveries: services.deliveries, listFunctions: async () => functions(), ...(clients.database ? { database: clients.database } : {}) });
  return eraser.erase;
}

/** The webhook and Event API routes, the operator API and the dashboard; `close` ends live streams. */
function createReceiverApp(
  services: Services,
  transforms: Map<string, Transform>,
  worker: { registry: Registry; clients: FunctionClients } | undefined,
): { app: Express; close: () => Promise<void> } {
  const { config } = services;
  const verifiers = createVerifiers(config);
  const database = worker?.clients.database ?? openReceiverDatabase(services);
  const operator = createOperatorRouters({
    ...services,
    transforms,
    // This process's webhook route serves the fixed template from then on (others at their restart).
    adoptTransform: (source, transform) => void transforms.set(source, transform),
    functions: worker?.registry.functions ?? [],
    ...(database ? { database, countUsers: () => countUsers(database) } : {}),
  });
  // Every process reads the same event stream: one counts, or /metrics would sum N copies (and
  // the delivery log would hold N copies of each redelivery).
  if ((processIndex() ?? 0) === 0) services.watchDeduplications(...intakeWatchers(services, transforms));
  return { app: createApp({ ...services, transforms, verifiers, routers: operator.routers }), close: operator.close };
}

/** Readers of the events queue's event stream: Svix's redeliveries into the delivery log, event names into the search index. */
export function intakeWatchers(services: Services, transforms: TransformRegistry) {
  const { redis, keys, logger, config, redisHealth } = services;
  return [
    (reader: QueueEvents) => recordRedeliveries(reader, { redis, tag: keys.tag, deliveries: services.deliveries, isWebhookSource: (source) => transforms.has(source), logger, redisHealth }),
    (reader: QueueEvents) => recordEventNames(reader, { redis, key: keys.eventNames, retentionMs: config.retentionMs, logger, redisHealth }),
  ];
}

/**
 * A receiver without workers (--role receiver) erases users rows itself when it can reach the
 * mirror: a small pool on DATABASE_URL, opened lazily by pg. Without DATABASE_URL the embedded
 * database belongs to the one process that runs user-sync, so the row is reported as not erased.
 */
function openReceiverDatabase(services: Services): Pool | undefined {
  const { config, logger } = services;
  if (!config.databaseUrl || !config.functions.includes(USER_SYNC_ID)) return undefined;
  const pool = createPostgresPool(config.databaseUrl, logger, { max: 2 });
  services.closers.push("postgres pool (erasure)", () => pool.end());
  return pool;
}
