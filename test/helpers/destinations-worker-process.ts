/**
 * A worker process running the destinations function, for test/integration/destinations-crash
 * .test.ts, which kills it with SIGKILL while a delivery waits for its answer. Its one destination
 * posts `app/signup` events, signed, to RECEIVER_URL.
 */
import { loadConfig } from "../../src/config.ts";
import { checkDestination } from "../../src/destinations/check-destination.ts";
import { defineDestination } from "../../src/destinations/define-destination.ts";
import { createDestinationsFunction } from "../../src/destinations/destinations-function.ts";
import type { BridgeFunction } from "../../src/engine/index.ts";
import { createRegistry } from "../../src/engine/registry.ts";
import { startWorkers } from "../../src/engine/start-workers.ts";
import { createLogger } from "../../src/logger.ts";
import { createServices } from "../../src/services/create-services.ts";
import { workerDepsOf } from "../../src/services/worker-deps.ts";
import { TEST_REDIS_URL } from "./test-redis.ts";

const prefix = process.env.ENGINE_TEST_PREFIX as string;
const config = loadConfig({ REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix, FUNCTIONS: "none", RETENTION: "1h", DEDUPE_WINDOW: "1h" });
const services = await createServices(config, createLogger("silent"));

const receiver = defineDestination({
  name: "receiver",
  env: ["RECEIVER_URL", "RECEIVER_SECRET"],
  signingSecret: "RECEIVER_SECRET",
  events: ["app/signup"],
  // Longer than the test needs: the worker is killed while this attempt waits.
  timeout: "60s",
  request: (event, env) => ({ url: env.RECEIVER_URL, body: { id: event.id, name: event.name, data: event.data } }),
});
const destinations = [checkDestination(receiver, "receiver.ts", { RECEIVER_URL: process.env.RECEIVER_URL as string, RECEIVER_SECRET: process.env.RECEIVER_SECRET as string })];
const fn = createDestinationsFunction({ destinations }) as BridgeFunction;

const connection = services.createBlockingClient();
const options = { ...config.engine, concurrency: 5, retryBaseMs: 50, lockDurationMs: 1500, stalledIntervalMs: 500 };
const workers = await startWorkers(workerDepsOf(services, connection, options), createRegistry([fn]));
process.stdout.write("ready\n");
process.once("SIGTERM", () => {
  void workers.close().then(async () => {
    connection.disconnect();
    await services.close();
    process.exit(0);
  });
});
