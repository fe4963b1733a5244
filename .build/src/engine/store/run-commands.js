import { BridgeError } from "../../errors.js";
import { promoteRunJob, runJobOptions } from "../../queue/run-jobs.js";
import { STEP_FIELD } from "../run-state.js";
function createRunCommands(deps) {
  const { redis, keys, ledger, queries, runsQueue } = deps;
  async function cancelRun(runId, reason = "cancelled by an operator") {
    const result = await ledger.updateRun(runId, { status: "cancelled", endedAt: Date.now(), cancelReason: reason });
    if (result === "missing") throw new BridgeError("not_found", `no run ${runId}`);
    if (result !== "ok") throw new BridgeError("conflict", `run ${runId} has already ${result === "cancelled" || result === "skipped" ? `been ${result}` : result}`);
    await promoteRunJob(runsQueue, runId);
    return await queries.getRun(runId);
  }
  async function retryRun(runId) {
    const run = await queries.getRun(runId);
    if (!run) throw new BridgeError("not_found", `no run ${runId}`);
    if (run.status !== "failed") throw new BridgeError("conflict", `only a failed run can be retried; run ${runId} is ${run.status}`);
    const key = keys.run(runId);
    const failedSteps = run.steps.filter((step) => step.status !== "completed").map((step) => STEP_FIELD + step.id);
    const transaction = redis.multi();
    if (failedSteps.length > 0) transaction.hdel(key, ...failedSteps);
    transaction.hdel(key, "error", "endedAt", "output", "startedAt").hset(key, "status", "queued", "attempt", 0, "retriedAt", Date.now());
    transaction.expire(key, Math.ceil(deps.retentionMs / 1e3));
    await transaction.exec();
    const data = { runId, functionId: run.functionId };
    await runsQueue.remove(runId);
    await runsQueue.add("run", data, runJobOptions(runId, 0, deps.retentionMs));
    return await queries.getRun(runId);
  }
  return { cancelRun, retryRun };
}
export {
  createRunCommands
};
