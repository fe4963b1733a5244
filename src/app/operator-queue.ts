import { Queue, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { OPERATOR_QUEUE, type BulkJobData, type BulkJobProcessor } from "../bulk/bulk-queue.ts";
import type { RedisHealth } from "../redis/redis-health.ts";

/**
 * The operators' queue (bulk replay, retry and cancel), on the request path's client. Its errors
 * go to redisHealth, or BullMQ prints each with console.error.
 */
export function openOperatorQueue(redis: Redis, tag: string, health: Pick<RedisHealth, "watch">): Queue<BulkJobData> {
  const queue = new Queue<BulkJobData>(OPERATOR_QUEUE, { connection: redis, prefix: tag });
  health.watch(queue, "operator queue");
  return queue;
}

/**
 * The operator queue's worker, one job at a time per process, on a connection of its own. A job
 * whose process dies is picked up by another once its lock lapses (BullMQ's stalled-job check)
 * and goes on from its progress. Answers its stop, which closes the worker, then its connection.
 */
export function startOperatorWorker(
  connection: Redis,
  tag: string,
  process: BulkJobProcessor,
  onError: (error: Error, jobId?: string) => void,
): () => Promise<void> {
  const worker = new Worker<BulkJobData>(OPERATOR_QUEUE, process, { connection, prefix: tag, concurrency: 1 });
  worker.on("error", (error) => onError(error));
  worker.on("failed", (job, error) => onError(error, job?.id ?? "?"));
  return async () => {
    await worker.close();
    await connection.quit();
  };
}
