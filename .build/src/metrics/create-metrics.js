import cluster from "node:cluster";
import { AggregatorRegistry, Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
function createMetrics(options = {}) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "bridge_" });
  const metrics = {
    registry,
    webhooks: new Counter({
      name: "bridge_webhooks_total",
      help: "Webhook deliveries by source and outcome",
      labelNames: ["source", "outcome"],
      registers: [registry]
    }),
    eventsAccepted: new Counter({
      name: "bridge_events_accepted_total",
      help: "Events stored durably, by source",
      labelNames: ["source"],
      registers: [registry]
    }),
    eventsDeduplicated: new Counter({
      name: "bridge_events_deduplicated_total",
      help: "Events not stored again because their id was already stored within DEDUPE_WINDOW",
      registers: [registry]
    }),
    runs: new Counter({
      name: "bridge_runs_total",
      help: "Function runs that ended, by function and status",
      labelNames: ["function", "status"],
      registers: [registry]
    }),
    runsSkipped: new Counter({
      name: "bridge_runs_skipped_total",
      help: "Runs that flow control skipped instead of starting, by function and reason",
      labelNames: ["function", "reason"],
      registers: [registry]
    }),
    userSyncIgnored: new Counter({
      name: "bridge_user_sync_ignored_total",
      help: "User events user-sync refused to write, by reason",
      labelNames: ["reason"],
      registers: [registry]
    }),
    stepDuration: new Histogram({
      name: "bridge_step_duration_seconds",
      help: "Duration of step executions, by function and outcome",
      labelNames: ["function", "status"],
      buckets: [5e-3, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry]
    })
  };
  if (options.queues) observeQueues(metrics, options.queues);
  if (cluster.isWorker) {
    new AggregatorRegistry();
    AggregatorRegistry.setRegistries([registry]);
  }
  return metrics;
}
function observeQueues(metrics, queues) {
  new Gauge({
    name: "bridge_queue_jobs",
    help: "Jobs in each BullMQ queue by state, read at scrape time",
    labelNames: ["queue", "state"],
    registers: [metrics.registry],
    // Every process reads the same queues: summing them would count each job once per process.
    aggregator: "max",
    async collect() {
      for (const [name, queue] of Object.entries(queues)) {
        const counts = await queue.getJobCounts("waiting", "active", "delayed", "failed", "prioritized", "waiting-children");
        for (const [state, count] of Object.entries(counts)) this.set({ queue: name, state }, count);
      }
    }
  });
}
export {
  createMetrics,
  observeQueues
};
