import { promoteRunJob } from "../queue/run-jobs.js";
import { evaluateKey } from "./expressions.js";
import { acquireSlotScript, releaseSlotScript } from "./lua-scripts.js";
const STALE_WAITER_MS = 3e4;
function concurrencySlots(ctx, fn, run) {
  if (fn.concurrency.length === 0) return void 0;
  const runId = run.id;
  const order = Math.max(run.createdAt, run.event.ts ?? 0) - (run.priority ?? 0) * 1e3;
  const limits = fn.concurrency.map((limit) => {
    const value = limit.key ? evaluateKey(limit.key, { event: run.event }) ?? "" : "";
    const scope = limit.scope === "fn" ? `fn:${fn.id}` : limit.scope;
    const keys = [ctx.keys.concurrency(scope, value), ctx.keys.concurrencyLine(scope, value), ctx.keys.concurrencyLineSeen(scope, value)];
    return { limit: limit.limit, keys };
  });
  const take = (limit, keys) => {
    const now = Date.now();
    return acquireSlotScript(ctx.redis, keys, [runId, now, now + ctx.options.concurrencyLeaseMs, limit, order, STALE_WAITER_MS]);
  };
  let waiting = false;
  return {
    /** True when every limit gave a slot; otherwise none is kept (the run keeps its places in line). */
    async acquire() {
      for (const { limit, keys } of limits) {
        if (!await take(limit, keys)) {
          await Promise.all(limits.map(({ keys: [holders] }) => ctx.redis.zrem(holders, runId)));
          waiting = true;
          return false;
        }
      }
      return true;
    },
    /** Extends the leases this run holds (each stored step does), so a long run keeps its slots. */
    async renew() {
      await Promise.all(limits.map(({ limit, keys }) => take(limit, keys)));
    },
    /**
     * Gives the slots back and wakes the run first in line for each; a run leaving to wait for a
     * slot keeps its place in line.
     */
    async release() {
      if (waiting) return;
      const next = await Promise.all(limits.map(({ keys }) => releaseSlotScript(ctx.redis, keys, runId)));
      await Promise.all([...new Set(next)].map((waiting2) => waiting2 && promoteRunJob(ctx.runsQueue, waiting2)));
    }
  };
}
export {
  concurrencySlots
};
