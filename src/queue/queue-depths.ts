import type { Queue } from "bullmq";

export interface QueueDepth {
  name: string;
  waiting: number;
  active: number;
  delayed: number;
  prioritized: number;
  failed: number;
  /** When the job that has waited longest was added (ms); absent when none waits. */
  oldestWaitingAt?: number;
}

/**
 * A queue's depth by state and its oldest waiting job, in two reads. `delayed` on the runs queue
 * holds sleeping, waiting and retrying runs, future events' runs and those a pause holds.
 */
export async function readQueueDepth(queue: Queue): Promise<QueueDepth> {
  const [counts, oldest] = await Promise.all([
    queue.getJobCounts("wait", "active", "delayed", "prioritized", "failed"),
    // The wait list is read from its far end, where the worker takes the next job; ascending order gives it first.
    Promise.all([queue.getJobs(["wait"], 0, 0, true), queue.getJobs(["prioritized"], 0, 0, true)]),
  ]);
  const times = oldest
    .flat()
    .map((job) => job?.timestamp)
    .filter((time): time is number => typeof time === "number");
  return {
    name: queue.name,
    waiting: counts.wait ?? 0,
    active: counts.active ?? 0,
    delayed: counts.delayed ?? 0,
    prioritized: counts.prioritized ?? 0,
    failed: counts.failed ?? 0,
    ...(times.length > 0 ? { oldestWaitingAt: Math.min(...times) } : {}),
  };
}
