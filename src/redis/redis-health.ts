import type { Logger } from "../logger.ts";
import { isOutOfMemory, isRedisOutage } from "./redis-outage.ts";
import { errorCodeOf } from "../util/thrown.ts";

/** After Redis is back, errors from clients still catching up belong to the outage that ended. */
const RECOVERY_GRACE_MS = 2000;

export type RedisCondition = "up" | "down" | "out_of_memory";

/**
 * How the process speaks of Redis's weather, in as few lines as it takes. A 3-second outage
 * printed about 51 warnings and errors with stack traces (every client's every reconnection, every
 * BullMQ worker's loop, "bulk action failed" with no bulk action running), and Redis out of memory
 * about 1,200 lines in 25 s (issue 20, issue 19). Now: one line when Redis goes away and one when it
 * is back, with how long it was away; out of memory, one line when it starts, one per interval
 * with the writes refused, and one when writes are accepted again.
 */
export interface RedisHealth {
  readonly condition: RedisCondition;
  /**
   * An error from Redis: true when it is the weather (unreachable, out of memory), counted here and
   * logged in the summary lines; false when it is something else, for the caller to report.
   */
  absorb(error: unknown): boolean;
  /** Watches a Redis client or a BullMQ object: its errors are absorbed (or logged), its reconnection ends an outage. */
  watch(emitter: { on(event: string, listener: (...args: never[]) => void): unknown }, name: string): void;
  /** A write went through (the readiness probe's): out of memory is over. */
  wrote(): void;
  close(): void;
}

export interface RedisHealthDeps {
  logger: Logger;
  /** A small write (SET with an expiry): refused while Redis is out of memory. */
  probe(): Promise<unknown>;
  /** `INFO memory`, for the maxmemory and policy the out-of-memory line names. */
  memoryInfo(): Promise<string>;
  /** How often a lasting problem is logged again (REDIS_REPORT_INTERVAL). */
  intervalMs: number;
}

export function createRedisHealth(deps: RedisHealthDeps): RedisHealth {
  const { logger } = deps;
  let condition: RedisCondition = "up";
  let since = 0;
  let errors = 0;
  let refusedSinceReport = 0;
  let graceUntil = 0;
  let memory = "maxmemory unknown";
  let timer: NodeJS.Timeout | undefined;
  const seconds = () => ((Date.now() - since) / 1000).toFixed(1);
  const stopTimer = () => {
    clearInterval(timer);
    timer = undefined;
  };

  function goDown(error: Error): void {
    stopTimer();
    condition = "down";
    since = Date.now();
    errors = 1;
    const cause = errorCodeOf(error) ?? error.message;
    logger.warn(
      { cause },
      `Redis is unreachable (${cause}): webhooks and events get 503 (Svix redelivers), workers wait; one more line when it is back`,
    );
  }

  function runOutOfMemory(): void {
    stopTimer();
    condition = "out_of_memory";
    since = Date.now();
    errors = 1;
    refusedSinceReport = 1;
    void deps
      .memoryInfo()
      .then(
        (info) => (memory = describeMemory(info)),
        () => undefined,
      )
      .finally(() => {
        if (condition === "out_of_memory")
          logger.warn(
            `Redis is out of memory (${memory}): writes are refused and webhooks get 503; said again every ${deps.intervalMs / 1000} s while it lasts`,
          );
      });
    timer = setInterval(() => void checkMemory(), deps.intervalMs);
    timer.unref();
  }

  async function checkMemory(): Promise<void> {
    try {
      await deps.probe();
      health.wrote();
    } catch (error) {
      if (!absorb(error) || condition !== "out_of_memory") return;
      logger.warn(
        { refused: refusedSinceReport },
        `Redis is out of memory (${memory}): ${refusedSinceReport} writes refused in the last ${deps.intervalMs / 1000} s`,
      );
      refusedSinceReport = 0;
    }
  }

  function absorb(thrown: unknown): boolean {
    if (!(thrown instanceof Error)) return false;
    if (isOutOfMemory(thrown)) {
      if (condition === "out_of_memory") {
        errors++;
        refusedSinceReport++;
      } else runOutOfMemory();
      return true;
    }
    if (!isRedisOutage(thrown)) return false;
    if (condition === "down" || (condition === "up" && Date.now() < graceUntil)) errors++;
    else goDown(thrown);
    return true;
  }

  function backUp(message: string): void {
    stopTimer();
    logger.info({ seconds: Number(seconds()), errors }, message);
    condition = "up";
    graceUntil = Date.now() + RECOVERY_GRACE_MS;
  }

  const health: RedisHealth = {
    get condition() {
      return condition;
    },
    absorb,
    watch(emitter, name) {
      emitter.on("error", (error: unknown) => {
        if (!absorb(error)) logger.error({ err: error, client: name }, "Redis client error");
      });
      emitter.on("ready", () => {
        if (condition === "down") backUp(`Redis is back after ${seconds()} s (${errors} errors while it was away)`);
      });
    },
    wrote() {
      if (condition === "out_of_memory")
        backUp(`Redis accepts writes again after ${seconds()} s (${errors} writes refused while it was out of memory)`);
    },
    close: stopTimer,
  };
  return health;
}

/** `maxmemory 2.00M, noeviction` from INFO memory's fields. */
function describeMemory(info: string): string {
  const field = (name: string) => new RegExp(`^${name}:(.*)$`, "m").exec(info)?.[1]?.trim();
  return `maxmemory ${field("maxmemory_human") ?? "?"}, ${field("maxmemory_policy") ?? "?"}, used ${field("used_memory_human") ?? "?"}`;
}
