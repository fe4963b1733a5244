import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "ioredis";
import { spawnBridge, stopBridge, type BridgeProcess } from "../helpers/bridge-process.ts";
import { assertNothingLostOrDoubled, FAULT_FUNCTIONS_DIR, settleAndTally } from "../helpers/fault-check.ts";
import { PrivateRedis } from "../helpers/private-redis.ts";
import { TEST_SECRET } from "../helpers/sign-fixture.ts";
import { testPrefix } from "../helpers/test-redis.ts";
import { burst, redeliverUntilAccepted } from "../helpers/webhook-burst.ts";

/**
 * Redis goes away while webhooks arrive. The contract: every answer during the outage is 503
 * (so Svix redelivers), every 2xx event survives, and once Redis is back every event has exactly
 * its runs. Redis here is the test's own, with appendonly on, as the README asks of production.
 */
async function outageScenario(name: string, outage: (redis: PrivateRedis) => Promise<void>) {
  const redis = await PrivateRedis.create();
  const prefix = testPrefix();
  const key = `{${prefix}}:effects`;
  const bridges: BridgeProcess[] = [];
  try {
    const env = {
      REDIS_URL: redis.url,
      REDIS_PREFIX: prefix,
      CLERK_WEBHOOK_SECRET: TEST_SECRET,
      FUNCTIONS: "none",
      FUNCTIONS_DIR: FAULT_FUNCTIONS_DIR,
      FAULT_REDIS_URL: redis.url,
      FAULT_KEY: key,
      FAULT_STEP_MS: "5",
      WORKER_LOCK_DURATION: "2s",
    };
    const bridge = await spawnBridge(env, "all");
    bridges.push(bridge);
    const ids = Array.from({ length: 300 }, (_, index) => `msg_${name}_${index}`);
    // About 15 s of deliveries, so the outage falls well inside the burst.
    const sending = burst(bridge.url, ids, { concurrency: 2, gapMs: 100 });
    await sleep(1500);
    await outage(redis);
    const result = await sending;

    for (const [id, status] of result.refused) assert.equal(status, 503, `${id} was answered ${status}, not 503`);
    const acceptedDuringBurst = new Set(result.accepted);
    await redeliverUntilAccepted(bridge.url, result);
    assert.equal(result.refused.size, 0, "every delivery is eventually accepted");

    const client = new Redis(redis.url);
    try {
      const tally = await settleAndTally(client, prefix, key, ids);
      console.log(
        `${name}: ${JSON.stringify({ ...tally, answered2xxDuringBurst: acceptedDuringBurst.size, statuses: Object.fromEntries(result.statuses) })}`,
      );
      assertNothingLostOrDoubled(tally);
    } finally {
      client.disconnect();
    }
  } finally {
    await Promise.all(bridges.map((bridge) => stopBridge(bridge, "SIGKILL")));
    await redis.stop();
  }
}

describe("Redis faults during a burst of webhooks", { concurrency: false }, () => {
  test("Redis restarted (appendonly on) mid-burst: no accepted event is lost", async () => {
    await outageScenario("restart", async (redis) => {
      await redis.stop();
      await redis.start();
    });
  });

  test("Redis unreachable for 10 s mid-burst: every refusal is a 503 and every event ends with all its runs", async () => {
    await outageScenario("unreachable", async (redis) => {
      await redis.stop();
      await sleep(10_000);
      await redis.start();
    });
  });
});
