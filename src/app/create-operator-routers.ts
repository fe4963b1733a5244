import type { QueueEvents } from "bullmq";
import type { Router } from "express";
import { findFunction } from "../engine/definition/find-function.ts";
import type { BridgeFunction } from "../client/index.ts";
import type { Services } from "./create-services.ts";
import { createEraser } from "../erasure/erase-user.ts";
import { listOutbox } from "../functions/mail/dev-outbox.ts";
import type { Pool } from "../functions/postgres/create-pool.ts";
import { createAdminAuth } from "../dashboard/admin-auth.ts";
import { createSessionStore } from "../dashboard/sessions.ts";
import { dashboardRoute } from "../dashboard/dashboard-route.ts";
import { readPublishedDestinations } from "../destinations/destination-directory.ts";
import { readPublishedFunctions } from "../dashboard/function-directory.ts";
import { createLiveFeed } from "../dashboard/live-feed.ts";
import { operatorApi } from "../dashboard/operator-api.ts";
import type { OperatorSources, RunQuery } from "../dashboard/operator-deps.ts";
import { describeFunction } from "../dashboard/present-records.ts";
import { feedFromQueues } from "../dashboard/queue-live-source.ts";
import { createConsoleSources } from "../dashboard/console-sources.ts";
import type { Transform } from "../transforms/transform-types.ts";
import type { TransformRegistry } from "../transforms/load-transforms.ts";

/** What the operator API and the dashboard use, all built by the composition root. */
export type OperatorWiring = Pick<
  Services,
  | "config"
  | "logger"
  | "redis"
  | "keys"
  | "queues"
  | "eventLog"
  | "runs"
  | "waiters"
  | "accept"
  | "openQueueReaders"
  | "openOperatorQueue"
  | "audit"
  | "limiters"
  | "deliveries"
  | "pauses"
  | "tombstones"
> & {
  /** The templates this receiver serves (a re-run reloads its source's from TRANSFORMS_DIR). */
  transforms?: TransformRegistry;
  /** Replaces a template this process serves, once a re-run proved the file on disk fixed. */
  adoptTransform?: (source: string, transform: Transform) => void;
  /** The functions this process runs; empty on a receiver, which shows what the workers published. */
  functions: readonly BridgeFunction[];
  /** How many users user-sync mirrors; absent where user-sync does not run in this process. */
  countUsers?: () => Promise<number>;
  /** The users mirror, for erasure; absent where this process has none (the row is then left to the workers' process). */
  database?: Pool;
};

/**
 * The operator API and the dashboard, bound to the event log, the run queries and commands, the
 * registry and the outbox. Mount `routers` in the app; `close()` ends open live streams and their
 * readers.
 */
export function createOperatorRouters(wiring: OperatorWiring): { routers: Router[]; close(): Promise<void> } {
  const { config, redis, keys } = wiring;
  // BullMQ's event readers block on their connection: opened only while a browser watches.
  let readers: { events: QueueEvents; runs: QueueEvents; close(): Promise<void> } | undefined;
  const feed = createLiveFeed({
    start() {
      readers = wiring.openQueueReaders();
      feedFromQueues(feed, {
        eventsQueue: wiring.queues.events,
        eventsEvents: readers.events,
        runsEvents: readers.runs,
        logger: wiring.logger,
      });
    },
    async stop() {
      const closing = readers;
      readers = undefined;
      await closing?.close();
    },
  });

  const { queries, commands } = wiring.runs;
  // A receiver that runs no functions shows what the workers published.
  const listFunctions = async () =>
    wiring.functions.length > 0
      ? wiring.functions.map(describeFunction)
      : readPublishedFunctions(redis, keys.functionDirectory);
  const eraser = createEraser({ ...wiring, listFunctions, ...(wiring.database ? { database: wiring.database } : {}) });
  const sources: OperatorSources = {
    listEvents: wiring.eventLog.listEvents,
    getEvent: wiring.eventLog.getEvent,
    // `?function=user-sync` finds `bridge-user-sync`: a bare id is accepted where it is unique.
    listRuns: async ({ eventId, ...query }) => {
      const resolved = query.functionId
        ? { ...query, functionId: findFunction(await listFunctions(), query.functionId)?.id ?? query.functionId }
        : query;
      return eventId === undefined ? queries.listRuns(resolved) : runsOfEvent(eventId, resolved);
    },
    listRunsForEvent: queries.listRunsForEvent,
    getRun: queries.getRun,
    cancelRun: (runId) => commands.cancelRun(runId),
    retryRun: commands.retryRun,
    listFunctions,
    // Loaded by the workers, with their variables: what they published at start.
    listDestinations: () => readPublishedDestinations(redis, keys.destinationDirectory),
    ...(wiring.countUsers ? { countUsers: wiring.countUsers } : {}),
    eraseUser: (userId) => eraser.erase(userId),
    // Without SMTP_URL the built-in emails land in the Redis outbox instead of a mail server.
    ...(config.smtpUrl ? {} : { listOutbox: (limit: number) => listOutbox(redis, keys.outbox, { limit }) }),
  };
  const auth = createAdminAuth({
    adminToken: config.adminToken,
    ...(config.adminToken ? { sessions: createSessionStore({ redis, keys, adminToken: config.adminToken }) } : {}),
    limiter: wiring.limiters.admin,
  });
  /** One event's runs (a set, read whole), filtered like a page of the runs list. */
  const runsOfEvent = async (eventId: string, query: RunQuery) => {
    const runs = await queries.listRunsForEvent(eventId);
    const items = runs
      .filter(
        (run) =>
          (!query.functionId || run.functionId === query.functionId) &&
          (!query.status || run.status === query.status) &&
          (!query.eventName || query.eventName(run.eventName)),
      )
      .sort((a, b) => b.createdAt - a.createdAt)
      .slice(0, query.limit);
    return { items };
  };
  const consoleSources = createConsoleSources(wiring, listFunctions);
  const { audit } = wiring;
  const onAuditError = (error: unknown) =>
    wiring.logger.error({ err: error }, "audit log: an operator action could not be recorded");
  return {
    routers: [
      operatorApi({ auth, accept: wiring.accept, feed, sources, console: consoleSources, audit, onAuditError }),
      dashboardRoute({ auth, audit, onAuditError }),
    ],
    close: async () => {
      await feed.close();
      await consoleSources.close();
    },
  };
}
