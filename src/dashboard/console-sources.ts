import type { Queue } from "bullmq";
import type { BulkRequest } from "../bulk/bulk-request.ts";
import { countBulkItems, type BulkItem } from "../bulk/select-bulk-items.ts";
import { bulkSourcesOf, type BulkSourceDeps } from "../bulk/start-bulk-jobs.ts";
import type { DeliveryLog, DeliveryRecord } from "../deliveries/delivery-log.ts";
import { deliveriesOfEvent, listDeliveries, type DeliveryQuery } from "../deliveries/list-deliveries.ts";
import { rerunDelivery } from "../deliveries/rerun-delivery.ts";
import { reservedNames } from "../events/reserved-names.ts";
import type { AcceptDeps } from "../events/accept-events.ts";
import type { BridgeEvent } from "../events/event-schema.ts";
import type { FunctionPauses } from "../engine/store/function-pauses.ts";
import { createBulkQueue, type BulkJobData } from "../bulk/bulk-queue.ts";
import { readQueueDepth, type QueueDepth } from "../queue/queue-depths.ts";
import { createEventSearch } from "../search/search-events.ts";
import type { TransformRegistry } from "../transforms/load-transforms.ts";
import type { Transform } from "../transforms/transform-types.ts";
import type { Config } from "../config/load-config.ts";
import { secretVariableOf } from "../webhooks/webhook-secrets.ts";
import { createDevBridge } from "./dev-bridge.ts";
import type { FunctionDescription } from "./function-directory.ts";
import { nextCronTick, STATS_RUNS, summarizeRuns, type FunctionStats } from "./function-stats.ts";

/** What the console reads and acts on, all built by app/ (the operator queue included). */
export interface ConsoleDeps extends BulkSourceDeps {
  config: Pick<
    Config,
    "webhookSecrets" | "localWebhookSecret" | "dedupeWindowMs" | "transformsDir" | "transformTimeoutMs" | "devBridge"
  >;
  queues: { events: Queue; runs: Queue };
  accept: AcceptDeps;
  deliveries: DeliveryLog;
  pauses: FunctionPauses;
  /** The operators' queue, for bulk actions; closed with the console. */
  openOperatorQueue(): Queue<BulkJobData>;
  /** The templates this receiver serves: their sources' events are deliveries. */
  transforms?: TransformRegistry;
  /** Replaces a template this process serves (a re-run proved the file on disk fixed). */
  adoptTransform?: (source: string, transform: Transform) => void;
}

/**
 * What the operator console reads and does beyond the event and run basics: the delivery log
 * and its re-runs, event search, bulk actions, function statistics and pauses, queue depths,
 * and the other bridge events can be sent to. Built once by app/create-operator-routers.ts.
 */
export function createConsoleSources(wiring: ConsoleDeps, listFunctions: () => Promise<FunctionDescription[]>) {
  const { config, redis, keys } = wiring;
  const webhookSources = wiring.transforms ? [...wiring.transforms.keys()] : Object.keys(config.webhookSecrets);
  const deliverySources = {
    log: wiring.deliveries,
    eventLog: wiring.eventLog,
    webhookSources,
    dedupeWindowMs: config.dedupeWindowMs,
  };
  const rerunDeps = {
    log: wiring.deliveries,
    accept: wiring.accept,
    transformsDir: config.transformsDir,
    transformTimeoutMs: config.transformTimeoutMs,
    reserved: reservedNames(webhookSources),
    getEvent: wiring.eventLog.getEvent,
    ...(wiring.adoptTransform ? { adopt: wiring.adoptTransform } : {}),
  };
  const search = createEventSearch({ redis, keys, eventLog: wiring.eventLog });
  const bulkQueue = createBulkQueue(wiring.openOperatorQueue());
  const bulkSources = bulkSourcesOf(wiring);
  const { pauses } = wiring;

  async function functionStats(): Promise<FunctionStats[]> {
    const now = Date.now();
    const paused = new Set(await pauses.list());
    return Promise.all(
      (await listFunctions()).map(async (fn) => {
        const [runs, held] = await Promise.all([
          wiring.runs.queries.recentRunTimes(fn.id, STATS_RUNS),
          pauses.heldCount(fn.id),
        ]);
        const tick = nextCronTick(fn.triggers as ReadonlyArray<{ cron?: string }>, now);
        return {
          id: fn.id,
          ...summarizeRuns(runs, now),
          ...(tick === undefined ? {} : { nextTickAt: tick }),
          paused: paused.has(fn.id),
          held,
        };
      }),
    );
  }

  return {
    webhookSources,
    webhookSecrets: describeWebhookSecrets(config, webhookSources),
    searchEvents: search.searchEvents,
    deliveries: {
      list: (query: DeliveryQuery) => listDeliveries(deliverySources, query),
      ofEvent: (event: BridgeEvent): Promise<DeliveryRecord[]> => deliveriesOfEvent(deliverySources, event),
      get: wiring.deliveries.get,
      payload: wiring.deliveries.readPayload,
      rerun: (id: string) => rerunDelivery(rerunDeps, id),
    },
    bulk: {
      preview: (request: BulkRequest): Promise<{ count: number; capped: boolean; sample: BulkItem[] }> =>
        countBulkItems(bulkSources, request),
      start: (data: BulkJobData) => bulkQueue.add(data),
      get: bulkQueue.get,
      list: bulkQueue.list,
    },
    functions: {
      stats: functionStats,
      queues: (): Promise<QueueDepth[]> =>
        Promise.all([readQueueDepth(wiring.queues.events), readQueueDepth(wiring.queues.runs)]),
      pause: pauses.pause,
      resume: pauses.resume,
    },
    devBridge: config.devBridge ? createDevBridge(config.devBridge) : undefined,
    close: () => bulkQueue.close(),
  };
}

export type ConsoleSources = ReturnType<typeof createConsoleSources>;

/** How a webhook source's deliveries are verified, for the dashboard to warn when they cannot be. */
export interface WebhookSecretState {
  source: string;
  variable: string;
  /** `local`: the variable is unset and a development bridge verifies with its own secret in `file`. */
  secret: "set" | "local" | "missing";
  file?: string;
}

export function describeWebhookSecrets(
  config: Pick<Config, "webhookSecrets" | "localWebhookSecret">,
  sources: readonly string[],
): WebhookSecretState[] {
  return sources.map((source) => {
    const variable = secretVariableOf(source);
    const local = config.localWebhookSecret?.source === source ? config.localWebhookSecret : undefined;
    if (local) return { source, variable, secret: "local", file: local.file };
    return { source, variable, secret: config.webhookSecrets[source] ? "set" : "missing" };
  });
}
