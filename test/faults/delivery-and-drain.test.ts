import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "ioredis";
import { spawnBridge, stopBridge, type BridgeProcess } from "../helpers/bridge-process.ts";
import { assertNothingLostOrDoubled, FAULT_FUNCTIONS_DIR, settleAndTally } from "../helpers/fault-check.ts";
import { TEST_SECRET } from "../helpers/sign-fixture.ts";
import { dropPrefix, testPrefix, TEST_REDIS_URL } from "../helpers/test-redis.ts";
import { burst } from "../helpers/webhook-burst.ts";

function bridgeEnv(prefix: string, key: string, stepMs: string) {
  return {
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: prefix,
    CLERK_WEBHOOK_SECRET: TEST_SECRET,
    FUNCTIONS: "none",
    FUNCTIONS_DIR: FAULT_FUNCTIONS_DIR,
    FAULT_REDIS_URL: TEST_REDIS_URL,
    FAULT_KEY: key,
    FAULT_STEP_MS: stepMs,
    WORKER_LOCK_DURATION: "2s",
  };
}

describe("delivery faults", () => {
  let redis: Redis;
  const bridges: BridgeProcess[] = [];
  const prefixes: string[] = [];
  before(() => {
    redis = new Redis(TEST_REDIS_URL);
  });
  after(async () => {
    await Promise.all(bridges.map((bridge) => stopBridge(bridge, "SIGKILL")));
    redis.disconnect();
    for (const prefix of prefixes) await dropPrefix(prefix);
  });

  test("each webhook delivered 3 times, interleaved and concurrently: one run per function", async () => {
    const prefix = testPrefix();
    prefixes.push(prefix);
    const key = `{${prefix}}:effects`;
    const bridge = await spawnBridge(bridgeEnv(prefix, key, "5"), "all");
    bridges.push(bridge);
    const ids = Array.from({ length: 200 }, (_, index) => `msg_thrice_${index}`);
    // Three copies of each id, shuffled, several in flight at once: some copies race each other.
    const deliveries = [...ids, ...ids, ...ids].sort(() => Math.random() - 0.5);
    const result = await burst(bridge.url, deliveries, { concurrency: 8, gapMs: 0 });
    assert.deepEqual(Object.fromEntries(result.statuses), { 200: 600 });
    const tally = await settleAndTally(redis, prefix, key, ids);
    console.log(`triple delivery: ${JSON.stringify(tally)}`);
    assertNothingLostOrDoubled(tally);
  });

  test("SIGTERM while runs are in flight: the process drains and exits 0, the runs complete on the next worker", async () => {
    const prefix = testPrefix();
    prefixes.push(prefix);
    const key = `{${prefix}}:effects`;
    const env = bridgeEnv(prefix, key, "300");
    const first = await spawnBridge(env, "all");
    bridges.push(first);
    const ids = Array.from({ length: 60 }, (_, index) => `msg_drain_${index}`);
    const result = await burst(first.url, ids, { concurrency: 4, gapMs: 0 });
    assert.equal(result.accepted.size, ids.length);
    // Wait until steps are running, then ask it to stop.
    for (let wait = 0; wait < 100 && (await redis.hlen(`${key}:executions`)) === 0; wait++) await sleep(50);
    assert.equal(await stopBridge(first, "SIGTERM"), 0, first.output());

    const second = await spawnBridge(env, "worker");
    bridges.push(second);
    const tally = await settleAndTally(redis, prefix, key, ids);
    console.log(`drain: ${JSON.stringify(tally)}`);
    // A drained worker finishes the step it is in (BullMQ waits for active jobs), so nothing re-runs.
    assertNothingLostOrDoubled(tally);
  });
});
