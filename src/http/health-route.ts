import { Router } from "express";
import type { Redis } from "ioredis";
import { errorBody } from "../errors.ts";
import { isOutOfMemory } from "../redis/redis-outage.ts";
import type { RedisHealth } from "../redis/redis-health.ts";
import { withTimeout } from "../util/with-timeout.ts";
import { messageOf } from "../util/thrown.ts";

export interface HealthDeps {
  redis: Redis;
  /** The key /readyz writes, with an expiry: a PING answers even while Redis refuses every write. */
  probeKey: string;
  /** Told of what the probe found: an out-of-memory Redis that accepts writes again is over it. */
  redisHealth?: Pick<RedisHealth, "absorb" | "wrote">;
}

/**
 * /healthz: the process answers. /readyz: it can accept events, i.e. Redis takes a small write:
 * 503 `redis_unavailable` when it does not answer, 503 `redis_out_of_memory` when it refuses
 * writes for want of memory (maxmemory under noeviction), which a PING alone would not show.
 */
export function healthRoute(deps: HealthDeps): Router {
  const router = Router();
  router.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  router.get("/readyz", async (_req, res) => {
    try {
      await withTimeout(deps.redis.set(deps.probeKey, "1", "PX", 60_000), 1000, "Redis did not answer");
      deps.redisHealth?.wrote();
      res.json({ status: "ready", redis: "ok" });
    } catch (error) {
      deps.redisHealth?.absorb(error);
      const message = messageOf(error);
      const code = isOutOfMemory(error) ? "redis_out_of_memory" : "redis_unavailable";
      res.status(503).json({
        status: "unavailable",
        redis: message,
        ...errorBody(
          code,
          code === "redis_out_of_memory" ? `Redis refuses writes: ${message}` : `Redis is unavailable: ${message}`,
        ),
      });
    }
  });
  return router;
}
