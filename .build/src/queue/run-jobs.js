import { Job } from "bullmq";
function runJobOptions(runId, delayMs, retentionMs) {
  return {
    jobId: runId,
    delay: Math.max(0, delayMs),
    attempts: 10,
    backoff: { type: "exponential", delay: 1e3 },
    removeOnComplete: true,
    removeOnFail: { age: Math.ceil(retentionMs / 1e3) }
  };
}
async function promoteRunJob(queue, runId) {
  try {
    await new Job(queue, "run", {}, {}, runId).promote();
    return true;
  } catch {
    return false;
  }
}
function isFlowTimer(data) {
  return "timer" in data;
}
export {
  isFlowTimer,
  promoteRunJob,
  runJobOptions
};
