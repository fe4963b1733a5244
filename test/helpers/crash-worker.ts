/**
 * What the crash tests' worker processes share: services on the test's prefix (ENGINE_TEST_PREFIX),
 * and workers that lease runs briefly (a killed worker's runs come back within about 2 s),
 * announced with "ready" on stdout and drained on SIGTERM.
 */
import { loadConfig } from "../../src/config/load-config.ts";
import type { BridgeFunction } from "../../src/client/index.ts";
import { createRegistry } from "../../src/engine/definition/registry.ts";
import { startWorkers } from "../../src/engine/start-workers.ts";
import { createLogger } from "../../src/logger.ts";
import { createServices, type Services } from "../../src/app/create-services.ts";
import { workerDepsOf } from "../../src/app/worker-deps.ts";
import { TEST_REDIS_URL } from "./test-redis.ts";

export const prefix = process.env.ENGINE_TEST_PREFIX as string;

export async function crashWorkerServices(
  env: Record<string, string> = {},
): Promise<{ config: ReturnType<typeof loadConfig>; services: Services }> {
  const config = loadConfig({
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: prefix,
    FUNCTIONS: "none",
    RETENTION: "1h",
    DEDUPE_WINDOW: "1h",
    ...env,
  });
  return { config, services: await createServices(config, createLogger("silent")) };
}

export async function runCrashWorker(
  setup: { config: ReturnType<typeof loadConfig>; services: Services },
  functions: BridgeFunction[],
): Promise<void> {
  const { config, services } = setup;
  const connection = services.createBlockingClient();
  const options = { ...config.engine, concurrency: 5, retryBaseMs: 50, lockDurationMs: 1500, stalledIntervalMs: 500 };
  const workers = await startWorkers(workerDepsOf(services, connection, options), createRegistry(functions));
  process.stdout.write("ready\n");
  process.once("SIGTERM", () => {
    void workers.close().then(async () => {
      connection.disconnect();
      await services.close();
      process.exit(0);
    });
  });
}
