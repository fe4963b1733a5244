import { promoteRunJob } from "../queue/run-jobs.js";
const PAUSE_RECHECK_MS = 15 * 6e4;
const CACHE_MS = 1e3;
function createFunctionPauses(deps) {
  const { redis, keys } = deps;
  let cache;
  function pausedIds(fresh = false) {
    if (!fresh && cache && Date.now() - cache.at < CACHE_MS) return cache.ids;
    const ids = redis.smembers(keys.pausedFunctions).then((members) => new Set(members));
    cache = { at: Date.now(), ids };
    ids.catch(() => {
      if (cache?.ids === ids) cache = void 0;
    });
    return ids;
  }
  return {
    async isPaused(functionId, options = {}) {
      return (await pausedIds(options.fresh)).has(functionId);
    },
    async list() {
      return [...await pausedIds(true)].sort();
    },
    /** Lists a run as held by the pause, for `resume` to wake. */
    async hold(functionId, runId) {
      await redis.sadd(keys.pausedRuns(functionId), runId);
    },
    async heldCount(functionId) {
      return redis.scard(keys.pausedRuns(functionId));
    },
    async pause(functionId) {
      await redis.sadd(keys.pausedFunctions, functionId);
      cache = void 0;
    },
    /**
     * Unpauses first, then wakes the held runs: a run held after the list was read sees the
     * pause gone when it looks again (execute-run.ts) and wakes itself. Answers how many woke.
     */
    async resume(functionId) {
      await redis.srem(keys.pausedFunctions, functionId);
      cache = void 0;
      const held = await redis.smembers(keys.pausedRuns(functionId));
      await redis.del(keys.pausedRuns(functionId));
      const woken = await Promise.all(held.map((runId) => promoteRunJob(deps.runsQueue, runId)));
      return woken.filter(Boolean).length;
    }
  };
}
export {
  PAUSE_RECHECK_MS,
  createFunctionPauses
};
