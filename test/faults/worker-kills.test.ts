import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import type { Redis } from "ioredis";
import { spawnBridge, stopBridge, type BridgeProcess } from "../helpers/bridge-process.ts";
import { engineFromOutside, type EngineFromOutside } from "../helpers/crash-harness.ts";
import { assertNothingLostOrDoubled, FAULT_FUNCTIONS_DIR, settleAndTally } from "../helpers/fault-check.ts";
import { testPrefix, TEST_REDIS_URL } from "../helpers/test-redis.ts";

const KILLS = Number(process.env.FAULT_KILLS ?? 50);
/** At least this many events; more keep coming, one every 100 ms, until the last kill. */
const EVENTS = Number(process.env.FAULT_EVENTS ?? 150);

async function totalExecutions(redis: Redis, key: string): Promise<number> {
  const counts = await redis.hvals(`${key}:executions`);
  return counts.reduce((sum, count) => sum + Number(count), 0);
}

describe("a worker killed with SIGKILL in the middle of steps", () => {
  const prefix = testPrefix();
  const key = `{${prefix}}:effects`;
  let outside: EngineFromOutside;
  const workers: BridgeProcess[] = [];
  const env = {
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: prefix,
    FUNCTIONS: "none",
    FUNCTIONS_DIR: FAULT_FUNCTIONS_DIR,
    FAULT_REDIS_URL: TEST_REDIS_URL,
    FAULT_KEY: key,
    FAULT_STEP_MS: "40",
    // A killed worker's jobs come back after about a second instead of 30.
    WORKER_LOCK_DURATION: "1s",
    WORKER_CONCURRENCY: "20",
  };

  before(() => {
    outside = engineFromOutside(prefix);
  });
  after(async () => {
    await Promise.all(workers.map((worker) => stopBridge(worker, "SIGKILL")));
    await outside.close();
  });

  test(
    `${KILLS} kills over a stream of events: every run completes, no completed step runs again`,
    { timeout: 600_000 },
    async () => {
      const { redis } = outside;
      const eventIds: string[] = [];
      let killing = true;
      const sending = (async () => {
        for (let index = 0; killing || index < EVENTS; index++) {
          eventIds.push(...(await outside.send({ id: `kill-${index}`, name: "fault/ping", data: { index } })));
          await sleep(100);
        }
      })();

      let kills = 0;
      while (kills < KILLS) {
        const worker = await spawnBridge(env, "worker");
        workers.push(worker);
        // Kill it only once it is doing work: when a step of its own has recorded, then a moment later.
        const before = await totalExecutions(redis, key);
        for (let wait = 0; wait < 200 && (await totalExecutions(redis, key)) === before; wait++) await sleep(50);
        await sleep(Math.random() * 300);
        await stopBridge(worker, "SIGKILL");
        kills++;
      }
      killing = false;
      await sending;
      workers.push(await spawnBridge(env, "worker"));

      const tally = await settleAndTally(redis, prefix, key, eventIds);
      console.log(`worker kills: ${kills} SIGKILLs, ${JSON.stringify(tally)}`);
      // A kill can land after a step's body finished and before its result was stored: such a step
      // runs again (at-least-once per step, as in Inngest), at most once per step in flight per kill.
      // A step the engine had stored as completed never does (completedStepReruns, from the oracle).
      assertNothingLostOrDoubled(tally, kills * Number(env.WORKER_CONCURRENCY));
      assert.ok(tally.events >= EVENTS);
    },
  );
});
