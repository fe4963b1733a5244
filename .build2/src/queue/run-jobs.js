import { Job } from "bullmq";
/**
 * Options of every run job. The job id is the run id, so adding the same run twice is a no-op
 * while the job exists; once it is removed, the run state (kept for RETENTION) is the guard.
 * `attempts` covers engine failures only (Redis gone mid-run); handler and step retries are
 * scheduled by the executor itself as delayed moves.
 */
export function runJobOptions(runId, delayMs, retentionMs) {
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
export async function promoteRunJob(queue, runId) {
    try {
        await new Job(queue, "run", {}, {}, runId).promote();
        return true;
    }
    catch {
        return false;
    }
}
export function isFlowTimer(data) {
    return "timer" in data;
}
