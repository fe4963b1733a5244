import { Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { EngineOptions } from "../config/load-config.ts";
import type { WorkerDeps } from "../engine/start-workers.ts";
import type { Services } from "./create-services.ts";

/** What the workers get from the services: the engine's own client and stores. */
export function workerDepsOf(
  services: Services,
  connection: Redis,
  options: EngineOptions = services.config.engine,
): WorkerDeps {
  const { engine } = services;
  if (!engine) throw new Error("the services were built for a receiver (ROLE=receiver): they have no engine");
  return {
    ...engine,
    options,
    logger: services.logger,
    keys: services.keys,
    metrics: services.metrics,
    sealer: services.sealer,
    outbound: services.outbound,
    redisHealth: services.redisHealth,
    // BullMQ's workers duplicate this connection for their blocking reads.
    createWorker: (queue, processor, workerOptions) => new Worker(queue, processor, { ...workerOptions, connection }),
  };
}
