/**
 * A worker process running the destinations function, for test/integration/destinations-crash
 * .test.ts, which kills it with SIGKILL while a delivery waits for its answer. Its one destination
 * posts `app/signup` events, signed, to RECEIVER_URL.
 */
import { checkDestination } from "../../src/destinations/check-destination.ts";
import { defineDestination } from "../../src/destinations/define-destination.ts";
import { createDestinationsFunction } from "../../src/destinations/destinations-function.ts";
import type { BridgeFunction } from "../../src/client/index.ts";
import { crashWorkerServices, runCrashWorker } from "./crash-worker.ts";
import { LOCAL_RECEIVERS } from "./outbound.ts";

const setup = await crashWorkerServices(LOCAL_RECEIVERS);

const receiver = defineDestination({
  name: "receiver",
  env: ["RECEIVER_URL", "RECEIVER_SECRET"],
  signingSecret: "RECEIVER_SECRET",
  events: ["app/signup"],
  // Longer than the test needs: the worker is killed while this attempt waits.
  timeout: "60s",
  request: (event, env) => ({ url: env.RECEIVER_URL, body: { id: event.id, name: event.name, data: event.data } }),
});
const destinations = [
  checkDestination(receiver, "receiver.ts", {
    RECEIVER_URL: process.env.RECEIVER_URL as string,
    RECEIVER_SECRET: process.env.RECEIVER_SECRET as string,
  }),
];
const fn = createDestinationsFunction({ destinations, fetch: setup.services.outbound }) as BridgeFunction;

await runCrashWorker(setup, [fn]);
