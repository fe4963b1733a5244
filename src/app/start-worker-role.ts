import { createRegistry, type Registry } from "../engine/definition/registry.ts";
import type { BridgeFunction } from "../engine/definition/types.ts";
import { startWorkers } from "../engine/start-workers.ts";
import { createEraser } from "../erasure/erase-user.ts";
import { startBulkJobs } from "../bulk/start-bulk-jobs.ts";
import { publishFunctions } from "../dashboard/function-directory.ts";
import { publishDestinations } from "../destinations/destination-directory.ts";
import type { Services } from "./create-services.ts";
import { createFunctionClients, type FunctionClients } from "./function-clients.ts";
import { loadFunctions } from "./load-functions.ts";
import { workerDepsOf } from "./worker-deps.ts";

/**
 * A worker's half of the bridge: database and mailer, functions, then the router and the
 * executor, the bulk jobs, and the directories a receiver elsewhere shows. Everything it starts
 * is closed through the services' closers.
 */
export async function startWorkerRole(services: Services): Promise<{ registry: Registry; clients: FunctionClients }> {
  const { config, logger } = services;
  const clients = await createFunctionClients(services);
  const erase = config.eraseOnDelete ? createWorkerEraser(services, clients, () => registry.functions) : undefined;
  const registry: Registry = createRegistry(
    await loadFunctions({
      config,
      logger,
      clients,
      metrics: services.metrics,
      tombstones: (services.engine ?? services).tombstones,
      ...(erase ? { erase } : {}),
    }),
  );
  logger.info(
    { functions: registry.functions.map((fn) => fn.id) },
    `functions: ${registry.functions.length} registered`,
  );
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
  const eraser = createEraser({
    ...stores,
    keys: services.keys,
    deliveries: services.deliveries,
    listFunctions: async () => functions(),
    ...(clients.database ? { database: clients.database } : {}),
  });
  return eraser.erase;
}
