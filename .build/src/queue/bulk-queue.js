import { Queue, Worker } from "bullmq";
const OPERATOR_QUEUE = "operator";
const KEEP_SECONDS = 7 * 24 * 60 * 60;
function createBulkQueue(redis, tag) {
  const queue = new Queue(OPERATOR_QUEUE, { connection: redis, prefix: tag });
  return {
    async add(data) {
      const job = await queue.add("bulk", data, { attempts: 5, backoff: { type: "exponential", delay: 2e3 }, removeOnComplete: { age: KEEP_SECONDS, count: 200 }, removeOnFail: { age: KEEP_SECONDS } });
      return String(job.id);
    },
    async get(id) {
      const job = await queue.getJob(id);
      return job ? await viewOf(job) : void 0;
    },
    async list(limit) {
      const jobs = await queue.getJobs(["active", "waiting", "delayed", "completed", "failed"], 0, limit - 1);
      const views = await Promise.all(jobs.filter(Boolean).map(viewOf));
      return views.sort((a, b) => b.createdAt - a.createdAt).slice(0, limit);
    },
    close: () => queue.close()
  };
}
async function viewOf(job) {
  const progress = typeof job.progress === "object" ? job.progress : void 0;
  return {
    ...job.data,
    id: String(job.id),
    state: await job.getState(),
    ...progress ? { progress } : {},
    createdAt: job.timestamp,
    ...job.finishedOn ? { finishedAt: job.finishedOn } : {},
    ...job.failedReason ? { failedReason: job.failedReason } : {}
  };
}
function startBulkWorker(connection, tag, process, onError) {
  const worker = new Worker(
    OPERATOR_QUEUE,
    (job) => process({
      id: String(job.id),
      data: job.data,
      ...typeof job.progress === "object" ? { progress: job.progress } : {},
      report: (progress) => job.updateProgress(progress)
    }),
    { connection, prefix: tag, concurrency: 1 }
  );
  worker.on("error", onError);
  worker.on("failed", (_job, error) => onError(error));
  return { close: () => worker.close() };
}
export {
  OPERATOR_QUEUE,
  createBulkQueue,
  startBulkWorker
};
