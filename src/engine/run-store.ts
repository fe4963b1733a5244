import type { Queue } from "bullmq";
import type { ChainableCommander, Redis } from "ioredis";
import { BridgeError } from "../errors.ts";
import { engineKeys, idFromIndexMember, indexMember } from "./engine-keys.ts";
import { callScript, defineEngineScripts, pipeScript } from "./lua-scripts.ts";
import { promoteRunJob, runJobOptions, type RunJobData } from "./run-jobs.ts";
import {
  decodeRun,
  encodeFields,
  STEP_FIELD,
  type RunState,
  type RunStatus,
  type StepState,
} from "./run-state.ts";
import type { FunctionEvent } from "./types.ts";

export interface RunStoreDeps {
  redis: Redis;
  prefix: string;
  retentionMs: number;
  /** Needed by cancelRun and retryRun, which wake or re-enqueue the run's job. */
  runsQueue?: Queue;
}

export interface RunQuery {
  status?: string;
  functionId?: string;
  limit: number;
  /** The `next` cursor of the previous page. */
  before?: string;
}

export interface Page<T> {
  items: T[];
  /** Pass as `before` to get the next (older) page; absent on the last page. */
  next?: string;
}

export interface NewRun {
  id: string;
  functionId: string;
  event: FunctionEvent;
  createdAt: number;
  scheduledFor?: number;
  /** The idempotency key's value, when the function has one. */
  idempotencyKey?: string;
}

export type UpdateResult = "ok" | "missing" | "completed" | "failed" | "cancelled";

const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;
const MAX_SCANNED = 5000;

/**
 * The one module that reads and writes run state. The read API (getRun, listRuns,
 * listRunsForEvent) and the operations (cancelRun, retryRun) serve the dashboard; the rest is
 * for the router and the executor.
 */
export function createRunStore(deps: RunStoreDeps) {
  const keys = engineKeys(deps.prefix);
  const retentionSeconds = Math.ceil(deps.retentionMs / 1000);
  defineEngineScripts(deps.redis);

  async function getRun(runId: string): Promise<RunState | undefined> {
    return decodeRun(runId, await deps.redis.hgetall(keys.run(runId)));
  }

  /** Marks a run running and reads it, in one round trip; a run that has ended is only read. */
  async function startRun(runId: string): Promise<RunState | undefined> {
    const flat = (await callScript(deps.redis, "engineStartRun", [keys.run(runId)], [Date.now()])) as string[];
    const hash: Record<string, string> = {};
    for (let i = 0; i < flat.length; i += 2) hash[flat[i] as string] = flat[i + 1] as string;
    return decodeRun(runId, hash);
  }

  async function getRuns(runIds: string[]): Promise<Array<RunState | undefined>> {
    if (runIds.length === 0) return [];
    const pipeline = deps.redis.pipeline();
    for (const runId of runIds) pipeline.hgetall(keys.run(runId));
    const results = (await pipeline.exec()) ?? [];
    return results.map(([, hash], index) => decodeRun(runIds[index] as string, (hash ?? {}) as Record<string, string>));
  }

  /** Newest first. A status filter scans the index (bounded), since statuses change too often to index. */
  async function listRuns(query: RunQuery): Promise<Page<RunState>> {
    const index = query.functionId ? keys.runIndexByFunction(query.functionId) : keys.runIndex;
    const items: RunState[] = [];
    let cursor = query.before;
    let scanned = 0;
    const batch = query.status ? Math.max(query.limit * 4, 100) : query.limit;
    while (items.length < query.limit && scanned < MAX_SCANNED) {
      const members = await deps.redis.zrevrangebylex(index, cursor ? `(${cursor}` : "+", "-", "LIMIT", 0, batch);
      if (members.length === 0) return { items };
      const runs = await getRuns(members.map(idFromIndexMember));
      for (const [i, run] of runs.entries()) {
        cursor = members[i];
        scanned++;
        if (!run || (query.status && run.status !== query.status)) continue;
        items.push(run);
        if (items.length === query.limit) break;
      }
      if (members.length < batch && items.length < query.limit) return { items };
    }
    return { items, next: cursor };
  }

  async function listRunsForEvent(eventId: string): Promise<RunState[]> {
    const runIds = (await deps.redis.smembers(keys.eventRuns(eventId))).sort();
    return (await getRuns(runIds)).filter((run): run is RunState => run !== undefined);
  }

  /** One run's part of lua/route-event.lua: its five keys and its arguments. */
  function runSegment(run: NewRun): { keys: string[]; args: Array<string | number> } {
    const fields = encodeFields({
      status: "queued" satisfies RunStatus,
      functionId: run.functionId,
      eventId: run.event.id,
      eventName: run.event.name,
      createdAt: run.createdAt,
      scheduledFor: run.scheduledFor,
      attempt: 0,
      event: run.event,
    });
    const idempotent = run.idempotencyKey !== undefined;
    const runKey = keys.run(run.id);
    return {
      keys: [
        runKey,
        keys.runIndex,
        keys.runIndexByFunction(run.functionId),
        keys.eventRuns(run.event.id),
        // Without idempotency the key is unused: any key of the same slot will do.
        idempotent ? keys.idempotency(run.functionId, run.idempotencyKey as string) : runKey,
      ],
      args: [run.id, indexMember(run.createdAt, run.id), idempotent ? IDEMPOTENCY_TTL_SECONDS : 0, fields.length, ...fields],
    };
  }

  /** lua/route-event.lua for one run and nothing else (no event log entry, no waiters read). */
  function createRunCall(run: NewRun): [string[], Array<string | number>] {
    const segment = runSegment(run);
    const unused = segment.keys[0] as string;
    return [[unused, unused, unused, ...segment.keys], ["", retentionSeconds, 1, "0", ...segment.args]];
  }

  /** Creates a run's state once; resolves with its code (see lua/route-event.lua). */
  async function createRun(run: NewRun): Promise<number> {
    const [runKeys, args] = createRunCall(run);
    return ((await callScript(deps.redis, "engineRouteEvent", runKeys, args)) as [unknown, number])[1];
  }

  /** The same, queued on a pipeline. */
  function pipeCreateRun(pipeline: ChainableCommander, run: NewRun): ChainableCommander {
    const [runKeys, args] = createRunCall(run);
    return pipeScript(deps.redis, pipeline, "engineRouteEvent", runKeys, args);
  }

  /** Writes run fields unless the run has already ended; `keepUntil` extends its expiry. */
  async function updateRun(runId: string, fields: Record<string, unknown>, keepUntil?: number): Promise<UpdateResult> {
    const ttl = keepUntil === undefined ? 0 : Math.ceil((Math.max(keepUntil - Date.now(), 0) + deps.retentionMs) / 1000);
    return (await callScript(deps.redis, "engineUpdateRun", [keys.run(runId)], [ttl, ...encodeFields(fields)])) as UpdateResult;
  }

  async function saveStep(runId: string, step: StepState): Promise<void> {
    await deps.redis.hset(keys.run(runId), STEP_FIELD + step.id, JSON.stringify(step));
  }

  /** Replaces a step only while it still has `expected` status; true when this call won. */
  async function resolveStep(runId: string, step: StepState, expected: StepState["status"]): Promise<boolean> {
    const args = [STEP_FIELD + step.id, expected, JSON.stringify(step)];
    return (await callScript(deps.redis, "engineResolveStep", [keys.run(runId)], args)) === 1;
  }

  /** Cancels a run that has not ended, and wakes its job so the executor winds it up. */
  async function cancelRun(runId: string, reason = "cancelled by an operator"): Promise<RunState> {
    const result = await updateRun(runId, { status: "cancelled", endedAt: Date.now(), cancelReason: reason });
    if (result === "missing") throw new BridgeError("not_found", `no run ${runId}`);
    if (result !== "ok") throw new BridgeError("conflict", `run ${runId} has already ${result === "cancelled" ? "been cancelled" : result}`);
    if (deps.runsQueue) await promoteRunJob(deps.runsQueue, runId);
    return (await getRun(runId)) as RunState;
  }

  /** Re-runs a failed run: completed steps stay memoized, failed ones run again with a fresh budget. */
  async function retryRun(runId: string): Promise<RunState> {
    const run = await getRun(runId);
    if (!run) throw new BridgeError("not_found", `no run ${runId}`);
    if (run.status !== "failed") throw new BridgeError("conflict", `only a failed run can be retried; run ${runId} is ${run.status}`);
    if (!deps.runsQueue) throw new Error("retryRun needs the runs queue");
    const key = keys.run(runId);
    const failedSteps = run.steps.filter((step) => step.status !== "completed").map((step) => STEP_FIELD + step.id);
    const pipeline = deps.redis.multi();
    if (failedSteps.length > 0) pipeline.hdel(key, ...failedSteps);
    pipeline.hdel(key, "error", "endedAt", "output").hset(key, "status", "queued", "attempt", 0);
    pipeline.expire(key, retentionSeconds);
    await pipeline.exec();
    const data: RunJobData = { runId, functionId: run.functionId };
    await deps.runsQueue.remove(runId); // a job that failed on an engine error is kept; its id must be free
    await deps.runsQueue.add("run", data, runJobOptions(runId, 0, deps.retentionMs));
    return (await getRun(runId)) as RunState;
  }

  /** Drops index entries older than the retention (the run hashes expire on their own). */
  async function trimIndexes(functionIds: Iterable<string>): Promise<void> {
    const oldest = `(${indexMember(Date.now() - deps.retentionMs, "")}`;
    const pipeline = deps.redis.pipeline().zremrangebylex(keys.runIndex, "-", oldest);
    for (const functionId of functionIds) pipeline.zremrangebylex(keys.runIndexByFunction(functionId), "-", oldest);
    await pipeline.exec();
  }

  return { getRun, startRun, listRuns, listRunsForEvent, cancelRun, retryRun, runSegment, createRun, pipeCreateRun, updateRun, saveStep, resolveStep, trimIndexes };
}

export type RunStore = ReturnType<typeof createRunStore>;
