import { Queue } from "bullmq";
import { createFunctionPauses } from "../engine/function-pauses.js";
import { createRunCommands } from "../engine/store/run-commands.js";
import { createRunLedger } from "../engine/store/run-ledger.js";
import { createRunQueries } from "../engine/store/run-queries.js";
import { createWaiters } from "../engine/waiters.js";
import { createEventLog } from "../events/event-log.js";
import { EVENTS_QUEUE, RUNS_QUEUE } from "../queue/queue-names.js";
/**
 * The queues and stores bound to one command client. The composition root makes two sets: one
 * on the request path's client (fails fast, so a webhook is answered 503 at once), one on the
 * engine's (patient, so a step that succeeded is not failed by a slow answer).
 */
export function createStores(redis, deps) {
    const { config, keys, sealer } = deps;
    const queues = {
        events: new Queue(EVENTS_QUEUE, { connection: redis, prefix: keys.tag }),
        runs: new Queue(RUNS_QUEUE, { connection: redis, prefix: keys.tag }),
    };
    deps.closers.push(`${deps.name} queues`, () => Promise.all([queues.events.close(), queues.runs.close()]));
    const accept = { eventsQueue: queues.events, dedupeWindowMs: config.dedupeWindowMs, retentionMs: config.retentionMs, metrics: deps.metrics, sealer };
    const ledger = createRunLedger({ redis, keys, retentionMs: config.retentionMs, sealer });
    const queries = createRunQueries({ redis, keys, sealer });
    const commands = createRunCommands({ redis, keys, retentionMs: config.retentionMs, runsQueue: queues.runs, ledger, queries });
    return {
        redis,
        queues,
        accept,
        eventLog: createEventLog({ redis, keys, retentionMs: config.retentionMs, sealer }),
        runs: { ledger, queries, commands },
        waiters: createWaiters({ redis, keys, sealer }),
        pauses: createFunctionPauses({ redis, keys, runsQueue: queues.runs }),
    };
}
