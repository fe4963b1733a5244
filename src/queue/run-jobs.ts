import { Job, type JobsOptions, type Queue } from "bullmq";

/** What a job on the "runs" queue carries: the run state itself lives in the run store. */
export interface RunJobData {
  runId: string;
  functionId: string;
  /** The trigger event, when the intake stores it: the executor reads its body with the run. */
  eventId?: string;
}

/**
 * Options of every run job. The job id is the run id, so adding the same run twice is a no-op
 * while the job exists; once it is removed, the run state (kept for RETENTION) is the guard.
 * `attempts` covers engine failures only (Redis gone mid-run); handler and step retries are
 * scheduled by the executor itself as delayed moves.
 */
export function runJobOptions(runId: string, delayMs: number, retentionMs: number): JobsOptions {
  return {
    jobId: runId,
    delay: Math.max(0, delayMs),
    attempts: 10,
    backoff: { type: "exponential", delay: 1000 },
    removeOnComplete: true,
    removeOnFail: { age: Math.ceil(retentionMs / 1000) },
  };
}

/**
 * Wakes a run whose job is delayed (sleeping, waiting, retrying or scheduled) so it is processed
 * now. A job that is not delayed is already on its way to a worker: nothing to do.
 */
export async function promoteRunJob(queue: Queue, runId: string): Promise<boolean> {
  try {
    await new Job(queue, "run", {}, {}, runId).promote();
    return true;
  } catch {
    return false;
  }
}

/**
 * A flow-control timer, on the "runs" queue beside the runs: a debounce's fire job or a batch's
 * flush job (`id`: the debounce generation or the batch, also the job id). `key` is the value of
 * the function's key expression.
 */
export interface FlowTimerData {
  timer: "debounce" | "batch";
  functionId: string;
  /** The function's key value for the debounce or batch, sealed with ENCRYPTION_KEY (it may be personal data). */
  key: string;
  id: string;
}

export function isFlowTimer(data: RunJobData | FlowTimerData): data is FlowTimerData {
  return "timer" in data;
}
