import { findFunction } from "../engine/find-function.js";
import { createEraser } from "../erasure/erase-user.js";
import { listOutbox } from "../functions/mail/dev-outbox.js";
import { createAdminAuth } from "./admin-auth.js";
import { createSessionStore } from "./sessions.js";
import { dashboardRoute } from "./dashboard-route.js";
import { readPublishedDestinations } from "../destinations/destination-directory.js";
import { readPublishedFunctions } from "./function-directory.js";
import { createLiveFeed } from "./live-feed.js";
import { operatorApi } from "./operator-api.js";
import { describeFunction } from "./present-records.js";
import { feedFromQueues } from "./queue-live-source.js";
import { createConsoleSources } from "./console-sources.js";
function createOperatorRouters(wiring) {
  const { config, redis, keys } = wiring;
  let readers;
  const feed = createLiveFeed({
    start() {
      readers = wiring.openQueueReaders();
      feedFromQueues(feed, { eventsQueue: wiring.queues.events, eventsEvents: readers.events, runsEvents: readers.runs, logger: wiring.logger });
    },
    async stop() {
      const closing = readers;
      readers = void 0;
      await closing?.close();
    }
  });
  const { queries, commands } = wiring.runs;
  const listFunctions = async () => wiring.functions.length > 0 ? wiring.functions.map(describeFunction) : readPublishedFunctions(redis, keys.functionDirectory);
  const eraser = createEraser({ ...wiring, listFunctions, ...wiring.database ? { database: wiring.database } : {} });
  const sources = {
    listEvents: wiring.eventLog.listEvents,
    getEvent: wiring.eventLog.getEvent,
    // `?function=user-sync` finds `bridge-user-sync`: a bare id is accepted where it is unique.
    listRuns: async ({ eventId, ...query }) => {
      const resolved = query.functionId ? { ...query, functionId: findFunction(await listFunctions(), query.functionId)?.id ?? query.functionId } : query;
      return eventId === void 0 ? queries.listRuns(resolved) : runsOfEvent(eventId, resolved);
    },
    listRunsForEvent: queries.listRunsForEvent,
    getRun: queries.getRun,
    cancelRun: (runId) => commands.cancelRun(runId),
    retryRun: commands.retryRun,
    listFunctions,
    // Loaded by the workers, with their variables: what they published at start.
    listDestinations: () => readPublishedDestinations(redis, keys.destinationDirectory),
    ...wiring.countUsers ? { countUsers: wiring.countUsers } : {},
    eraseUser: (userId) => eraser.erase(userId),
    // Without SMTP_URL the built-in emails land in the Redis outbox instead of a mail server.
    ...config.smtpUrl ? {} : { listOutbox: (limit) => listOutbox(redis, keys.outbox, { limit }) }
  };
  const auth = createAdminAuth({
    adminToken: config.adminToken,
    ...config.adminToken ? { sessions: createSessionStore({ redis, keys, adminToken: config.adminToken }) } : {},
    limiter: wiring.limiters.admin
  });
  const runsOfEvent = async (eventId, query) => {
    const runs = await queries.listRunsForEvent(eventId);
    const items = runs.filter((run) => (!query.functionId || run.functionId === query.functionId) && (!query.status || run.status === query.status) && (!query.eventName || query.eventName(run.eventName))).sort((a, b) => b.createdAt - a.createdAt).slice(0, query.limit);
    return { items };
  };
  const consoleSources = createConsoleSources(wiring, listFunctions);
  const { audit } = wiring;
  const onAuditError = (error) => wiring.logger.error({ err: error }, "audit log: an operator action could not be recorded");
  return {
    routers: [operatorApi({ auth, accept: wiring.accept, feed, sources, console: consoleSources, audit, onAuditError }), dashboardRoute({ auth, audit, onAuditError })],
    close: async () => {
      await feed.close();
      await consoleSources.close();
    }
  };
}
export {
  createOperatorRouters
};
