import { Worker } from "bullmq";
import { IDENTITY_SEALER } from "../crypto/sealer.js";
import { EVENTS_QUEUE, RUNS_QUEUE } from "../queue/queue-names.js";
import { isFlowTimer } from "../queue/run-jobs.js";
import { createRunProcessor } from "./execute-run.js";
import { createEventRouter } from "./route-event.js";
import { syncCronSchedulers } from "./sync-cron-schedulers.js";
/**
 * Starts the router (on "events") and the executor (on "runs"). A run left behind by a stopped
 * or killed worker is picked up by any other: its job goes back to the queue when its lock ends.
 */
export async function startWorkers(deps, registry) {
    const ctx = {
        options: deps.options,
        logger: deps.logger,
        redis: deps.redis,
        keys: deps.keys,
        registry,
        ledger: deps.runs.ledger,
        commands: deps.runs.commands,
        waiters: deps.waiters,
        eventLog: deps.eventLog,
        accept: deps.accept,
        runsQueue: deps.queues.runs,
        metrics: deps.metrics,
        sealer: deps.sealer ?? IDENTITY_SEALER,
        pauses: deps.pauses,
    };
    await syncCronSchedulers(deps.queues.events, registry.functions);
    const common = {
        connection: deps.connection,
        prefix: deps.keys.tag,
        concurrency: deps.options.concurrency,
        // A killed worker's runs go back to the queue once its lock lapses; checked as often.
        lockDuration: deps.options.lockDurationMs,
        stalledInterval: deps.options.stalledIntervalMs,
        // A run may be interrupted by several crashes in a row; each replay is safe.
        maxStalledCount: 10,
    };
    const router = new Worker(EVENTS_QUEUE, createEventRouter(ctx), common);
    const executor = new Worker(RUNS_QUEUE, createRunProcessor(ctx), common);
    for (const [role, worker] of [["router", router], ["executor", executor]]) {
        worker.on("failed", (job, error) => deps.logger.error({ err: error, role, jobId: job?.id }, `${role} job failed`));
        worker.on("error", (error) => deps.logger.error({ err: error, role }, `${role} worker error`));
    }
    // A run job that keeps failing on engine errors (not handler errors, which end the run
    // themselves) is given up by BullMQ after its attempts: record that on the run, or it would
    // read "running" forever.
    executor.on("failed", (job, error) => {
        if (!job || job.attemptsMade < (job.opts.attempts ?? 1) || isFlowTimer(job.data))
            return;
        const fields = { status: "failed", endedAt: Date.now(), error: { name: error.name, message: `engine error: ${error.message}` } };
        ctx.ledger.updateRun(job.data.runId, fields).catch((cause) => deps.logger.error({ err: cause }, "could not mark a run failed"));
    });
    await Promise.all([router.waitUntilReady(), executor.waitUntilReady()]);
    deps.logger.info({ functions: registry.functions.map((fn) => fn.id), concurrency: deps.options.concurrency }, "workers started");
    return {
        async close() {
            await Promise.all([router.close(), executor.close()]);
        },
    };
}
