import { engineKeys } from "./engine-keys.ts";
import type { EngineContext } from "./engine-context.ts";
import { evaluateKey } from "./expressions.ts";
import { callScript } from "./lua-scripts.ts";
import type { BridgeFunction, FunctionEvent } from "./types.ts";

/**
 * Function concurrency (`{ limit, key? }`): a run takes a slot while it executes in a worker and
 * gives it back when it suspends or ends, as Inngest counts it (a sleeping run holds no slot).
 * Slots are leases in a sorted set (lua/acquire-slot-1.lua), so a crashed worker's slot frees
 * itself when the lease ends.
 */
export function concurrencySlot(ctx: EngineContext, fn: BridgeFunction, event: FunctionEvent, runId: string) {
  const limit = fn.concurrency;
  if (!limit) return undefined;
  const keyValue = limit.key ? (evaluateKey(limit.key, { event }) ?? "") : "";
  const key = engineKeys(ctx.prefix).concurrency(fn.id, keyValue);
  return {
    async acquire(): Promise<boolean> {
      const now = Date.now();
      const args = [runId, now, now + ctx.concurrencyLeaseMs, limit.limit];
      return (await callScript(ctx.redis, "engineAcquireSlot", [key], args)) === 1;
    },
    async release(): Promise<void> {
      await ctx.redis.zrem(key, runId);
    },
  };
}
