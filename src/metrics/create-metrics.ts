import type { Queue } from "bullmq";
import cluster from "node:cluster";
import { AggregatorRegistry, Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/**
 * The bridge's Prometheus metrics, on a registry of its own (no global state, so tests and
 * several bridges in one process never share counters). Queue depths are read from Redis at
 * scrape time, never on the request path.
 */
export interface BridgeMetrics {
  registry: Registry;
  /** Webhook deliveries by source and outcome (`accepted`, `dropped`, or the error code). */
  webhooks: Counter<"source" | "outcome">;
  /** Events made durable, by source (`clerk`, `api`, `system`, ...). */
  eventsAccepted: Counter<"source">;
  /** Deliveries whose event id was already stored (Svix redeliveries, repeated Event API ids). */
  eventsDeduplicated: Counter;
  /** Events answered as accepted but stored nowhere: they name a user erased within TOMBSTONE_TTL. */
  eventsErased: Counter<"source">;
  /** Runs that ended, by function and final status. */
  runs: Counter<"function" | "status">;
  /** Runs flow control did not start (`rate_limit`, `singleton`), by function: why no run started. */
  runsSkipped: Counter<"function" | "reason">;
  /** Step executions by function and outcome, in seconds. */
  stepDuration: Histogram<"function" | "status">;
  /** User events user-sync did not write, by reason (`future_updated_at`). */
  userSyncIgnored: Counter<"reason">;
}

export function createMetrics(options: { queues?: Record<string, Queue> } = {}): BridgeMetrics {
  const registry = new Registry();
  // Includes nodejs_eventloop_lag_seconds and the process's memory and CPU.
  collectDefaultMetrics({ register: registry, prefix: "bridge_" });
  const metrics: BridgeMetrics = {
    registry,
    webhooks: new Counter({
      name: "bridge_webhooks_total",
      help: "Webhook deliveries by source and outcome",
      labelNames: ["source", "outcome"],
      registers: [registry],
    }),
    eventsAccepted: new Counter({
      name: "bridge_events_accepted_total",
      help: "Events stored durably, by source",
      labelNames: ["source"],
      registers: [registry],
    }),
    eventsErased: new Counter({
      name: "bridge_events_erased_total",
      help: "Events not stored because they name a user erased within TOMBSTONE_TTL, by source",
      labelNames: ["source"],
      registers: [registry],
    }),
    eventsDeduplicated: new Counter({
      name: "bridge_events_deduplicated_total",
      help: "Events not stored again because their id was already stored within DEDUPE_WINDOW",
      registers: [registry],
    }),
    runs: new Counter({
      name: "bridge_runs_total",
      help: "Function runs that ended, by function and status",
      labelNames: ["function", "status"],
      registers: [registry],
    }),
    runsSkipped: new Counter({
      name: "bridge_runs_skipped_total",
      help: "Runs that flow control skipped instead of starting, by function and reason",
      labelNames: ["function", "reason"],
      registers: [registry],
    }),
    userSyncIgnored: new Counter({
      name: "bridge_user_sync_ignored_total",
      help: "User events user-sync refused to write, by reason",
      labelNames: ["reason"],
      registers: [registry],
    }),
    stepDuration: new Histogram({
      name: "bridge_step_duration_seconds",
      help: "Duration of step executions, by function and outcome",
      labelNames: ["function", "status"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
  };
  if (options.queues) observeQueues(metrics, options.queues);
  if (cluster.isWorker) {
    // Under a supervisor: answer its requests for this process's metrics, so /metrics sums them.
    new AggregatorRegistry();
    AggregatorRegistry.setRegistries([registry]);
  }
  return metrics;
}

/** Adds the depth of these queues to the metrics, read from Redis at each scrape. */
export function observeQueues(metrics: BridgeMetrics, queues: Record<string, Queue>): void {
  new Gauge({
    name: "bridge_queue_jobs",
    help: "Jobs in each BullMQ queue by state, read at scrape time",
    labelNames: ["queue", "state"],
    registers: [metrics.registry],
    // Every process reads the same queues: summing them would count each job once per process.
    aggregator: "max",
    async collect() {
      for (const [name, queue] of Object.entries(queues)) {
        const counts = await queue.getJobCounts(
          "waiting",
          "active",
          "delayed",
          "failed",
          "prioritized",
          "waiting-children",
        );
        for (const [state, count] of Object.entries(counts)) this.set({ queue: name, state }, count);
      }
    },
  });
}
