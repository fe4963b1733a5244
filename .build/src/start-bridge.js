import { startBulkJobs } from "./bulk/start-bulk-jobs.js";
import { recordRedeliveries } from "./deliveries/record-redeliveries.js";
import { recordEventNames } from "./search/record-event-names.js";
import { bindIntake } from "./client/intake.js";
import { processIndex } from "./cluster/cluster-messages.js";
import { createOperatorRouters } from "./dashboard/create-operator-routers.js";
import { publishFunctions } from "./dashboard/function-directory.js";
import { publishDestinations } from "./destinations/destination-directory.js";
import { createRegistry } from "./engine/registry.js";
import { createEraser } from "./erasure/erase-user.js";
import { startWorkers } from "./engine/start-workers.js";
import { StartupError } from "./errors.js";
import { loadFunctions } from "./functions/index.js";
import { createApp } from "./http/create-app.js";
import { createWorkerApp } from "./http/create-worker-app.js";
import { registerOperatorModuleHooks } from "./modules/operator-modules.js";
import { createFunctionClients } from "./services/function-clients.js";
import { USER_SYNC_ID } from "./functions/built-in-ids.js";
import { createPostgresPool } from "./functions/postgres/create-pool.js";
import { countUsers } from "./functions/postgres/users-table.js";
import { createServices } from "./services/create-services.js";
import { workerDepsOf } from "./services/worker-deps.js";
import { loadTransforms } from "./transforms/load-transforms.js";
import { queueEventStreams } from "./queue/queue-names.js";
import { startRetentionSweep } from "./retention/sweep-retention.js";
import { createSvixVerifier } from "./webhooks/verify-svix-signature.js";
import { checkStartupWarnings, describeConfiguration } from "./startup-report.js";
async function startBridge(config, logger) {
  const serves = config.role !== "worker";
  const works = config.role !== "receiver";
  registerOperatorModuleHooks({ transformsDir: config.transformsDir, functionsDir: config.functionsDir ?? "functions", destinationsDir: config.destinationsDir });
  const transforms = serves ? await loadTransforms(config.transformsDir) : void 0;
  logger.info(describeConfiguration(config, transforms), "configuration: loaded");
  checkStartupWarnings(config, logger, transforms);
  const services = await createServices(config, logger);
  services.closers.push("inngest.send", bindIntake(services.accept, { redis: services.redis, keys: services.keys, runsQueue: services.queues.runs, sealer: services.sealer }));
  if ((processIndex() ?? 0) === 0) {
    services.closers.push("retention sweep", startRetentionSweep({ ...services, retentionMs: config.retentionMs, streams: [...queueEventStreams(services.keys.tag), services.keys.deliveries] }));
  }
  try {
    const worker = works ? await startWorkerRole(services) : void 0;
    const receiver = serves ? createReceiverApp(services, transforms, worker) : void 0;
    const server = await listen(receiver?.app ?? createWorkerApp(services.redis, services.metrics), config);
    services.closers.push("http server", () => new Promise((resolve) => server.close(resolve)));
    if (receiver) services.closers.push("live streams", receiver.close);
    const address = `http://localhost:${server.address().port}`;
    if (serves) {
      logger.info({ sources: [...transforms.keys()] }, `receiving webhooks on ${address}/webhooks/<source>`);
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
async function startWorkerRole(services) {
  const { config, logger } = services;
  const clients = await createFunctionClients(services);
  const erase = config.eraseOnDelete ? createWorkerEraser(services, clients, () => registry.functions) : void 0;
  const registry = createRegistry(await loadFunctions({ config, logger, clients, metrics: services.metrics, ...erase ? { erase } : {} }));
  logger.info({ functions: registry.functions.map((fn) => fn.id) }, `functions: ${registry.functions.length} registered`);
  const connection = services.createBlockingClient();
  services.closers.push("worker connection", () => connection.quit());
  const workers = await startWorkers(workerDepsOf(services, connection), registry);
  services.closers.push("workers", () => workers.close());
  services.closers.push("bulk jobs", startBulkJobs(services));
  await publishFunctions(services.redis, services.keys.functionDirectory, registry.functions);
  await publishDestinations(services.redis, services.keys.destinationDirectory, clients.destinations ?? []);
  return { registry, clients };
}
function createWorkerEraser(services, clients, functions) {
  const stores = services.engine ?? services;
  const eraser = createEraser({ ...stores, keys: services.keys, deliveries: services.deliveries, listFunctions: async () => functions(), ...clients.database ? { database: clients.database } : {} });
  return eraser.erase;
}
function createReceiverApp(services, transforms, worker) {
  const { config } = services;
  const verifiers = new Map(Object.entries(config.webhookSecrets).map(([source, secrets]) => [source, createSvixVerifier(secrets)]));
  const database = worker?.clients.database ?? openReceiverDatabase(services);
  const operator = createOperatorRouters({
    ...services,
    transforms,
    // This process's webhook route serves the fixed template from then on (others at their restart).
    adoptTransform: (source, transform) => void transforms.set(source, transform),
    functions: worker?.registry.functions ?? [],
    ...database ? { database, countUsers: () => countUsers(database) } : {}
  });
  if ((processIndex() ?? 0) === 0) services.watchDeduplications(...intakeWatchers(services, transforms));
  return { app: createApp({ ...services, transforms, verifiers, routers: operator.routers }), close: operator.close };
}
function intakeWatchers(services, transforms) {
  const { redis, keys, logger, config } = services;
  return [
    (reader) => recordRedeliveries(reader, { redis, tag: keys.tag, deliveries: services.deliveries, isWebhookSource: (source) => transforms.has(source), logger }),
    (reader) => recordEventNames(reader, { redis, key: keys.eventNames, retentionMs: config.retentionMs, logger })
  ];
}
function openReceiverDatabase(services) {
  const { config, logger } = services;
  if (!config.databaseUrl || !config.functions.includes(USER_SYNC_ID)) return void 0;
  const pool = createPostgresPool(config.databaseUrl, logger, { max: 2 });
  services.closers.push("postgres pool (erasure)", () => pool.end());
  return pool;
}
async function listen(app, config) {
  const server = app.listen(config.port, config.host);
  try {
    await new Promise((resolve, reject) => server.once("listening", resolve).once("error", reject));
  } catch (error) {
    if (error.code === "EADDRINUSE") {
      throw new StartupError("port_in_use", `port ${config.port} on ${config.host} is already in use (EADDRINUSE): stop the other process, or pick another port with PORT=${config.port + 1}`);
    }
    throw error;
  }
  return server;
}
export {
  intakeWatchers,
  startBridge
};
