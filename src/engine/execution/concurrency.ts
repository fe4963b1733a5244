import { promoteRunJob } from "../../queue/run-jobs.ts";
import type { EngineContext } from "../store/engine-context.ts";
import { evaluateKey } from "../definition/expressions.ts";
import { acquireSlotScript, releaseSlotScript } from "../store/lua-scripts.ts";
import type { RunState } from "../store/run-state.ts";
import type { BridgeFunction } from "../definition/types.ts";

/** A waiter that has not asked for this long loses its place in line (it gets it back if it asks). */
const STALE_WAITER_MS = 30_000;

/**
 * Function concurrency (up to two `{ limit, key?, scope? }`): a run takes a slot of each limit
 * while it executes in a worker and gives them back when it suspends or ends, as Inngest counts
 * it (a sleeping run holds no slot). Slots are leases in sorted sets (lua/acquire-slot-3.lua), so
 * a crashed worker's slot frees itself when the lease ends. Runs over the limit wait in line, in
 * Inngest's queue order (when the run was due, earlier by its `priority.run` seconds), and a
 * slot given back wakes the first in line. A "fn" limit is the function's own; an "env" or
 * "account" limit is shared by every function declaring the same key.
 */
export function concurrencySlots(ctx: EngineContext, fn: BridgeFunction, run: RunState) {
  if (fn.concurrency.length === 0) return undefined;
  const runId = run.id;
  const order = Math.max(run.createdAt, run.event.ts ?? 0) - (run.priority ?? 0) * 1000;
  const limits = fn.concurrency.map((limit) => {
    const value = limit.key ? (evaluateKey(limit.key, { event: run.event }) ?? "") : "";
    const scope = limit.scope === "fn" ? `fn:${fn.id}` : limit.scope;
    const keys = {
      holders: ctx.keys.concurrency(scope, value),
      line: ctx.keys.concurrencyLine(scope, value),
      lineSeen: ctx.keys.concurrencyLineSeen(scope, value),
    };
    return { limit: limit.limit, keys };
  });
  const take = (limit: number, keys: (typeof limits)[number]["keys"]) => {
    const now = Date.now();
    return acquireSlotScript(ctx.redis, keys, {
      holder: runId,
      now,
      leaseEnd: now + ctx.options.concurrencyLeaseMs,
      limit,
      order,
      staleMs: STALE_WAITER_MS,
    });
  };
  let waiting = false;
  return {
    /** True when every limit gave a slot; otherwise none is kept (the run keeps its places in line). */
    async acquire(): Promise<boolean> {
      for (const { limit, keys } of limits) {
        if (!(await take(limit, keys))) {
          await Promise.all(limits.map(({ keys }) => ctx.redis.zrem(keys.holders, runId)));
          waiting = true;
          return false;
        }
      }
      return true;
    },
    /** Extends the leases this run holds (each stored step does), so a long run keeps its slots. */
    async renew(): Promise<void> {
      await Promise.all(limits.map(({ limit, keys }) => take(limit, keys)));
    },
    /**
     * Gives the slots back and wakes the run first in line for each; a run leaving to wait for a
     * slot keeps its place in line.
     */
    async release(): Promise<void> {
      if (waiting) return;
      const next = await Promise.all(limits.map(({ keys }) => releaseSlotScript(ctx.redis, keys, { holder: runId })));
      await Promise.all([...new Set(next)].map((waiting) => waiting && promoteRunJob(ctx.runsQueue, waiting)));
    },
  };
}
