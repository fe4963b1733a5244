import { countBulkItems } from "../bulk/select-bulk-items.js";
import { bulkSourcesOf } from "../bulk/start-bulk-jobs.js";
import { deliveriesOfEvent, listDeliveries } from "../deliveries/list-deliveries.js";
import { rerunDelivery } from "../deliveries/rerun-delivery.js";
import { reservedNames } from "../events/reserved-names.js";
import { createBulkQueue } from "../queue/bulk-queue.js";
import { readQueueDepth } from "../queue/queue-depths.js";
import { createEventSearch } from "../search/search-events.js";
import { createDevBridge } from "./dev-bridge.js";
import { nextCronTick, STATS_RUNS, summarizeRuns } from "./function-stats.js";
function createConsoleSources(wiring, listFunctions) {
  const { config, redis, keys } = wiring;
  const webhookSources = wiring.transforms ? [...wiring.transforms.keys()] : Object.keys(config.webhookSecrets);
  const deliverySources = { log: wiring.deliveries, eventLog: wiring.eventLog, webhookSources, dedupeWindowMs: config.dedupeWindowMs };
  const rerunDeps = {
    log: wiring.deliveries,
    accept: wiring.accept,
    transformsDir: config.transformsDir,
    transformTimeoutMs: config.transformTimeoutMs,
    reserved: reservedNames(webhookSources),
    getEvent: wiring.eventLog.getEvent,
    ...wiring.adoptTransform ? { adopt: wiring.adoptTransform } : {}
  };
  const search = createEventSearch({ redis, keys, eventLog: wiring.eventLog });
  const bulkQueue = createBulkQueue(redis, keys.tag);
  const bulkSources = bulkSourcesOf(wiring);
  const { pauses } = wiring;
  async function functionStats() {
    const now = Date.now();
    const paused = new Set(await pauses.list());
    return Promise.all(
      (await listFunctions()).map(async (fn) => {
        const [runs, held] = await Promise.all([wiring.runs.queries.recentRunTimes(fn.id, STATS_RUNS), pauses.heldCount(fn.id)]);
        const tick = nextCronTick(fn.triggers, now);
        return { id: fn.id, ...summarizeRuns(runs, now), ...tick === void 0 ? {} : { nextTickAt: tick }, paused: paused.has(fn.id), held };
      })
    );
  }
  return {
    webhookSources,
    searchEvents: search.searchEvents,
    deliveries: {
      list: (query) => listDeliveries(deliverySources, query),
      ofEvent: (event) => deliveriesOfEvent(deliverySources, event),
      get: wiring.deliveries.get,
      payload: wiring.deliveries.readPayload,
      rerun: (id) => rerunDelivery(rerunDeps, id)
    },
    bulk: {
      preview: (request) => countBulkItems(bulkSources, request),
      start: (data) => bulkQueue.add(data),
      get: bulkQueue.get,
      list: bulkQueue.list
    },
    functions: {
      stats: functionStats,
      queues: () => Promise.all([readQueueDepth(wiring.queues.events), readQueueDepth(wiring.queues.runs)]),
      pause: pauses.pause,
      resume: pauses.resume
    },
    devBridge: config.devBridge ? createDevBridge(config.devBridge) : void 0,
    close: () => bulkQueue.close()
  };
}
export {
  createConsoleSources
};
