import type { QueueEvents } from "bullmq";
import type { Express } from "express";
import { processIndex } from "../cluster/cluster-messages.ts";
import { USER_SYNC_ID } from "../config/built-in-ids.ts";
import { recordRedeliveries } from "../deliveries/record-redeliveries.ts";
import type { Registry } from "../engine/definition/registry.ts";
import { createPostgresPool, type Pool } from "../functions/postgres/create-pool.ts";
import { countUsers } from "../functions/postgres/users-table.ts";
import { createApp } from "../http/create-app.ts";
import { recordEventNames } from "../search/record-event-names.ts";
import type { TransformRegistry } from "../transforms/load-transforms.ts";
import type { Transform } from "../transforms/transform-types.ts";
import { createVerifiers } from "../webhooks/verify-svix-signature.ts";
import { createOperatorRouters } from "./create-operator-routers.ts";
import type { Services } from "./create-services.ts";
import type { FunctionClients } from "./function-clients.ts";

/** The webhook and Event API routes, the operator API and the dashboard; `close` ends live streams. */
export function createReceiverApp(
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
    (reader: QueueEvents) =>
      recordRedeliveries(reader, {
        redis,
        tag: keys.tag,
        deliveries: services.deliveries,
        isWebhookSource: (source) => transforms.has(source),
        logger,
        redisHealth,
      }),
    (reader: QueueEvents) =>
      recordEventNames(reader, { redis, key: keys.eventNames, retentionMs: config.retentionMs, logger, redisHealth }),
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
