import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { promoteRunJob } from "../../queue/run-jobs.ts";
import type { BridgeKeys } from "../../redis/keys.ts";

/** How long a held run sleeps before it looks again: a safety net should a resume miss it. */
export const PAUSE_RECHECK_MS = 15 * 60_000;
/** Each process reads the paused set at most this often as it picks runs up. */
const CACHE_MS = 1000;

/**
 * Pausing a function (an operator's choice, from the dashboard or the API): its runs that have not
 * started stay queued, held in the runs queue's delayed set and listed under the function, until
 * it is resumed, which wakes them all. Runs that had started go on to their end, and events keep
 * creating runs (they wait too). One Redis set names the paused functions; each executor reads it
 * at most once a second, so a pause takes effect within a second.
 */
export function createFunctionPauses(deps: {
  redis: Redis;
  keys: Pick<BridgeKeys, "pausedFunctions" | "pausedRuns">;
  runsQueue: Queue;
}) {
  const { redis, keys } = deps;
  // The read itself is cached, so the runs picked up while it is in flight share it.
  let cache: { at: number; ids: Promise<Set<string>> } | undefined;

  function pausedIds(fresh = false): Promise<Set<string>> {
    if (!fresh && cache && Date.now() - cache.at < CACHE_MS) return cache.ids;
    const ids = redis.smembers(keys.pausedFunctions).then((members) => new Set(members));
    cache = { at: Date.now(), ids };
    // A failed read is not kept: the next run asks again.
    ids.catch(() => {
      if (cache?.ids === ids) cache = undefined;
    });
    return ids;
  }

  return {
    async isPaused(functionId: string, options: { fresh?: boolean } = {}): Promise<boolean> {
      return (await pausedIds(options.fresh)).has(functionId);
    },
    /** The paused functions' ids, as isPaused reads them (cached for a second). */
    paused(): Promise<ReadonlySet<string>> {
      return pausedIds();
    },
    async list(): Promise<string[]> {
      return [...(await pausedIds(true))].sort();
    },
    /** Lists a run as held by the pause, for `resume` to wake. */
    async hold(functionId: string, runId: string): Promise<void> {
      await redis.sadd(keys.pausedRuns(functionId), runId);
    },
    async heldCount(functionId: string): Promise<number> {
      return redis.scard(keys.pausedRuns(functionId));
    },
    async pause(functionId: string): Promise<void> {
      await redis.sadd(keys.pausedFunctions, functionId);
      cache = undefined;
    },
    /**
     * Unpauses first, then wakes the held runs: a run held after the list was read sees the
     * pause gone when it looks again (execute-run.ts) and wakes itself. Answers how many woke.
     */
    async resume(functionId: string): Promise<number> {
      await redis.srem(keys.pausedFunctions, functionId);
      cache = undefined;
      const held = await redis.smembers(keys.pausedRuns(functionId));
      await redis.del(keys.pausedRuns(functionId));
      const woken = await Promise.all(held.map((runId) => promoteRunJob(deps.runsQueue, runId)));
      return woken.filter(Boolean).length;
    },
  };
}

export type FunctionPauses = ReturnType<typeof createFunctionPauses>;
