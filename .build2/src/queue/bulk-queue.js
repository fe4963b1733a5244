import { Queue, Worker } from "bullmq";
/** The operators' background jobs: bulk replay, retry and cancel. A contract, like the other queue names. */
export const OPERATOR_QUEUE = "operator";
const KEEP_SECONDS = 7 * 24 * 60 * 60;
/** The queue side, for the operator API: add a job, read one, list the latest. */
export function createBulkQueue(redis, tag) {
    const queue = new Queue(OPERATOR_QUEUE, { connection: redis, prefix: tag });
    return {
        async add(data) {
            // Retried after an engine error (Redis away): the job resumes where its progress says.
            const job = await queue.add("bulk", data, { attempts: 5, backoff: { type: "exponential", delay: 2000 }, removeOnComplete: { age: KEEP_SECONDS, count: 200 }, removeOnFail: { age: KEEP_SECONDS } });
            return String(job.id);
        },
        async get(id) {
            const job = await queue.getJob(id);
            return job ? await viewOf(job) : undefined;
        },
        async list(limit) {
            const jobs = await queue.getJobs(["active", "waiting", "delayed", "completed", "failed"], 0, limit - 1);
            const views = await Promise.all(jobs.filter(Boolean).map(viewOf));
            return views.sort((a, b) => b.createdAt - a.createdAt).slice(0, limit);
        },
        close: () => queue.close(),
    };
}
async function viewOf(job) {
    const progress = typeof job.progress === "object" ? job.progress : undefined;
    return {
        ...job.data,
        id: String(job.id),
        state: await job.getState(),
        ...(progress ? { progress } : {}),
        createdAt: job.timestamp,
        ...(job.finishedOn ? { finishedAt: job.finishedOn } : {}),
        ...(job.failedReason ? { failedReason: job.failedReason } : {}),
    };
}
/**
 * The worker side, one job at a time per process. A job whose process dies is picked up by
 * another once its lock lapses (BullMQ's stalled-job check) and goes on from its progress.
 */
export function startBulkWorker(connection, tag, process, onError) {
    const worker = new Worker(OPERATOR_QUEUE, (job) => process({
        id: String(job.id),
        data: job.data,
        ...(typeof job.progress === "object" ? { progress: job.progress } : {}),
        report: (progress) => job.updateProgress(progress),
    }), { connection, prefix: tag, concurrency: 1 });
    worker.on("error", onError);
    worker.on("failed", (_job, error) => onError(error));
    return { close: () => worker.close() };
}
