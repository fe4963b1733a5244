import type { EngineContext } from "./engine-context.ts";
import { evaluateKey } from "./expressions.ts";
import { acquireSlotScript } from "./lua-scripts.ts";
import type { BridgeFunction, FunctionEvent } from "./types.ts";

/**
 * Function concurrency (up to two `{ limit, key?, scope? }`): a run takes a slot of each limit
 * while it executes in a worker and gives them back when it suspends or ends, as Inngest counts
 * it (a sleeping run holds no slot). Slots are leases in sorted sets (lua/acquire-slot-1.lua), so
 * a crashed worker's slot frees itself when the lease ends. A "fn" limit is the function's own; an
 * "env" or "account" limit is shared by every function declaring the same key.
 */
export function concurrencySlots(ctx: EngineContext, fn: BridgeFunction, event: FunctionEvent, runId: string) {
  if (fn.concurrency.length === 0) return undefined;
  const limits = fn.concurrency.map((limit) => {
    const value = limit.key ? (evaluateKey(limit.key, { event }) ?? "") : "";
    return { limit: limit.limit, key: ctx.keys.concurrency(limit.scope === "fn" ? `fn:${fn.id}` : limit.scope, value) };
  });
  const release = async () => {
    await Promise.all(limits.map(({ key }) => ctx.redis.zrem(key, runId)));
  };
  const take = (limit: number, key: string) => {
    const now = Date.now();
    return acquireSlotScript(ctx.redis, key, [runId, now, now + ctx.options.concurrencyLeaseMs, limit]);
  };
  return {
    /** True when every limit gave a slot; otherwise none is kept. */
    async acquire(): Promise<boolean> {
      for (const { limit, key } of limits) {
        if (!(await take(limit, key))) {
          await release();
          return false;
        }
      }
      return true;
    },
    /** Extends the leases this run holds (each stored step does), so a long run keeps its slots. */
    async renew(): Promise<void> {
      await Promise.all(limits.map(({ limit, key }) => take(limit, key)));
    },
    release,
  };
}
