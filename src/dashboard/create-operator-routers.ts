import { QueueEvents, type Queue } from "bullmq";
import type { Router } from "express";
import type { Redis } from "ioredis";
import type { Config } from "../config.ts";
import { createRunStore, type BridgeFunction } from "../engine/index.ts";
import { createEventLog } from "../events/event-log.ts";
import { listOutbox } from "../functions/mail/dev-outbox.ts";
import type { Logger } from "../logger.ts";
import { EVENTS_QUEUE, keyPrefix, RUNS_QUEUE } from "../queue/queue-names.ts";
import { createAdminAuth } from "./admin-auth.ts";
import { dashboardRoute } from "./dashboard-route.ts";
import { readPublishedFunctions } from "./function-directory.ts";
import { createLiveFeed } from "./live-feed.ts";
import { operatorApi } from "./operator-api.ts";
import type { OperatorSources } from "./operator-deps.ts";
import { describeFunction } from "./present-records.ts";
import { feedFromQueues } from "./queue-live-source.ts";

export interface OperatorWiring {
  config: Config;
  logger: Logger;
  redis: Redis;
  eventsQueue: Queue;
  /** Cancel and retry wake or re-add a run's job on it. */
  runsQueue: Queue;
  /** This process's function registry (read on each request: the worker role loads it after the receiver starts). */
  functions: () => readonly BridgeFunction[];
  /**
   * A fresh connection for each of BullMQ's blocking event readers (the live stream); main.ts
   * owns client creation. Called only while a browser watches the live stream.
   */
  createBlockingClient: () => Redis;
}

/**
 * The operator API and the dashboard, bound to the event log, the run store, the registry and
 * the outbox. Mount `routers` in the app; `close()` ends open live streams and their readers.
 */
export function createOperatorRouters(wiring: OperatorWiring): { routers: Router[]; close(): Promise<void> } {
  const { config, redis } = wiring;
  const base = { redis, prefix: config.redisPrefix, retentionMs: config.retentionMs };
  const runStore = createRunStore({ ...base, runsQueue: wiring.runsQueue });
  const eventLog = createEventLog(base);
  // BullMQ's event readers block on their connection: each needs its own, opened while watched.
  let readers: Array<{ events: QueueEvents; client: Redis }> = [];
  const feed = createLiveFeed({
    start() {
      const reader = (name: string) => {
        const client = wiring.createBlockingClient();
        return { client, events: new QueueEvents(name, { connection: client, prefix: keyPrefix(config.redisPrefix) }) };
      };
      readers = [reader(EVENTS_QUEUE), reader(RUNS_QUEUE)];
      feedFromQueues(feed, { eventsQueue: wiring.eventsQueue, eventsEvents: readers[0]!.events, runsEvents: readers[1]!.events, logger: wiring.logger });
    },
    async stop() {
      const closing = readers;
      readers = [];
      await Promise.all(closing.map(({ events }) => events.close()));
      for (const { client } of closing) client.disconnect();
    },
  });

  const sources: OperatorSources = {
    listEvents: eventLog.listEvents,
    getEvent: eventLog.getEvent,
    listRuns: runStore.listRuns,
    listRunsForEvent: runStore.listRunsForEvent,
    getRun: runStore.getRun,
    cancelRun: (runId) => runStore.cancelRun(runId),
    retryRun: runStore.retryRun,
    // A receiver that runs no functions shows what the workers published.
    listFunctions: async () => {
      const local = wiring.functions();
      return local.length > 0 ? local.map(describeFunction) : readPublishedFunctions(redis, config.redisPrefix);
    },
    // Without SMTP_URL the built-in emails land in the Redis outbox instead of a mail server.
    ...(config.smtpUrl ? {} : { listOutbox: (limit: number) => listOutbox(redis, config.redisPrefix, { limit }) }),
  };
  const auth = createAdminAuth(config.adminToken);
  const accept = { eventsQueue: wiring.eventsQueue, dedupeWindowMs: config.dedupeWindowMs, retentionMs: config.retentionMs };
  return {
    routers: [operatorApi({ auth, accept, feed, sources }), dashboardRoute(auth)],
    close: () => feed.close(),
  };
}
