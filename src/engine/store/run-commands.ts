import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { BridgeError } from "../../errors.ts";
import type { BridgeKeys } from "../../redis/keys.ts";
import { promoteRunJob, runJobOptions, type RunJobData } from "../../queue/run-jobs.ts";
import { STEP_FIELD, type RunState } from "./run-state.ts";
import type { RunLedger } from "./run-ledger.ts";
import type { RunQueries } from "./run-queries.ts";

/**
 * What an operator (or a cancelOn event) does to a run: cancel it, retry it. Both wake or
 * re-enqueue the run's job, so they need the runs queue.
 */
export function createRunCommands(deps: {
  redis: Redis;
  keys: BridgeKeys;
  retentionMs: number;
  runsQueue: Queue;
  ledger: RunLedger;
  queries: RunQueries;
}) {
  const { redis, keys, ledger, queries, runsQueue } = deps;

  /** Cancels a run that has not ended, and wakes its job so the executor winds it up. */
  async function cancelRun(runId: string, reason = "cancelled by an operator"): Promise<RunState> {
    const result = await ledger.updateRun(runId, { status: "cancelled", endedAt: Date.now(), cancelReason: reason });
    if (result === "missing") throw new BridgeError("not_found", `no run ${runId}`);
    if (result !== "ok")
      throw new BridgeError(
        "conflict",
        `run ${runId} has already ${result === "cancelled" || result === "skipped" ? `been ${result}` : result}`,
      );
    await promoteRunJob(runsQueue, runId);
    return (await queries.getRun(runId)) as RunState;
  }

  /** Re-runs a failed run: completed steps stay memoized, failed ones run again with a fresh budget. */
  async function retryRun(runId: string): Promise<RunState> {
    const run = await queries.getRun(runId);
    if (!run) throw new BridgeError("not_found", `no run ${runId}`);
    if (run.status !== "failed")
      throw new BridgeError("conflict", `only a failed run can be retried; run ${runId} is ${run.status}`);
    const key = keys.run(runId);
    const failedSteps = run.steps.filter((step) => step.status !== "completed").map((step) => STEP_FIELD + step.id);
    const transaction = redis.multi();
    if (failedSteps.length > 0) transaction.hdel(key, ...failedSteps);
    // A fresh start: the timeouts count from the retry, not from the first attempt.
    transaction
      .hdel(key, "error", "endedAt", "output", "startedAt")
      .hset(key, "status", "queued", "attempt", 0, "retriedAt", Date.now());
    transaction.expire(key, Math.ceil(deps.retentionMs / 1000));
    await transaction.exec();
    const data: RunJobData = { runId, functionId: run.functionId };
    await runsQueue.remove(runId); // a job that failed on an engine error is kept; its id must be free
    await runsQueue.add("run", data, runJobOptions(runId, 0, deps.retentionMs));
    return (await queries.getRun(runId)) as RunState;
  }

  return { cancelRun, retryRun };
}

export type RunCommands = ReturnType<typeof createRunCommands>;
