import type { Job, Queue } from "bullmq";
import type { BulkRequest } from "./bulk-request.ts";

/** The operators' background jobs: bulk replay, retry and cancel. A contract, like the other queue names. */
export const OPERATOR_QUEUE = "operator";

export interface BulkJobData {
  request: BulkRequest;
  /** Who asked, as the audit log names them. */
  actor: string;
  description: string;
}

export interface BulkProgress {
  phase: "selecting" | "running" | "done";
  total: number;
  /** Items worked through: also where a restarted job picks up. */
  done: number;
  ok: number;
  /** Nothing to do any more (a run that is no longer failed, an event that expired). */
  skipped: number;
  failed: number;
  /** The last few failures, for the page. */
  errors: string[];
}

export interface BulkJobView extends BulkJobData {
  id: string;
  state: string;
  progress?: BulkProgress;
  createdAt: number;
  finishedAt?: number;
  failedReason?: string;
}

/** What the processor sees of its job: its data, where it got to, and a way to say how far it is. */
export interface BulkJobRun {
  id: string;
  data: BulkJobData;
  progress?: BulkProgress;
  report(progress: BulkProgress): Promise<void>;
}

const KEEP_SECONDS = 7 * 24 * 60 * 60;

/** The queue side, for the operator API: add a job, read one, list the latest (the queue is made by app/). */
export function createBulkQueue(queue: Queue<BulkJobData>) {
  return {
    async add(data: BulkJobData): Promise<string> {
      // Retried after an engine error (Redis away): the job resumes where its progress says.
      const job = await queue.add("bulk", data, {
        attempts: 5,
        backoff: { type: "exponential", delay: 2000 },
        removeOnComplete: { age: KEEP_SECONDS, count: 200 },
        removeOnFail: { age: KEEP_SECONDS },
      });
      return String(job.id);
    },
    async get(id: string): Promise<BulkJobView | undefined> {
      const job = await queue.getJob(id);
      return job ? await viewOf(job) : undefined;
    },
    async list(limit: number): Promise<BulkJobView[]> {
      const jobs = await queue.getJobs(["active", "waiting", "delayed", "completed", "failed"], 0, limit - 1);
      const views = await Promise.all(jobs.filter(Boolean).map(viewOf));
      return views.sort((a, b) => b.createdAt - a.createdAt).slice(0, limit);
    },
    close: () => queue.close(),
  };
}

export type BulkQueue = ReturnType<typeof createBulkQueue>;

async function viewOf(job: Job<BulkJobData>): Promise<BulkJobView> {
  const progress = typeof job.progress === "object" ? (job.progress as unknown as BulkProgress) : undefined;
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

/** The bulk job's processor as BullMQ's worker calls it, on the operator queue (the worker is made by app/). */
export type BulkJobProcessor = (job: Job<BulkJobData>) => Promise<BulkProgress>;

/** Hands `process` what it sees of its job: its data, where it got to, and a way to report how far it is. */
export function bulkJobProcessor(process: (run: BulkJobRun) => Promise<BulkProgress>): BulkJobProcessor {
  return (job) =>
    process({
      id: String(job.id),
      data: job.data,
      ...(typeof job.progress === "object" ? { progress: job.progress as unknown as BulkProgress } : {}),
      report: (progress) => job.updateProgress(progress as unknown as object),
    });
}
