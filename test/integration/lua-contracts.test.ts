import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Redis } from "ioredis";
import { createRunLedger, type NewRun, type RunFlow } from "../../src/engine/store/run-ledger.ts";
import type { FunctionEvent } from "../../src/engine/definition/types.ts";
import { bridgeKeys } from "../../src/redis/keys.ts";
import { dropPrefix, TEST_REDIS_URL, testPrefix } from "../helpers/test-redis.ts";

/**
 * route-event.lua run on Redis through its declaration: runs given by name (every flow-control
 * option), replies read back as the declared results. A per-run argument that moved in the script's
 * body but not in its declaration (or the other way round) changes one of these answers.
 */
describe("route-event.lua, called by name, answers every declared result", () => {
  const prefix = testPrefix();
  const redis = new Redis(TEST_REDIS_URL);
  const keys = bridgeKeys(prefix);
  const ledger = createRunLedger({ redis, keys, retentionMs: 60_000 });
  const event: FunctionEvent = {
    id: "evt-1",
    name: "app/contract",
    data: {},
    ts: Date.now(),
    receivedAt: Date.now(),
    source: "api",
  };
  let next = 0;
  const run = (functionId: string, flow: RunFlow = {}, more: Partial<NewRun> = {}): NewRun => ({
    id: `run-${++next}`,
    functionId,
    event,
    eventStored: true,
    createdAt: Date.now(),
    flow,
    ...more,
  });
  const route = async (...runs: NewRun[]) => (await ledger.route({ runs })).runs;

  before(async () => {
    await redis.ping();
  });
  after(async () => {
    await dropPrefix(prefix);
    redis.disconnect();
  });

  test("created, then queued when routed again, still queued once it runs (its job may be lost), ended once it ends", async () => {
    const first = run("plain");
    assert.deepEqual(
      (await route(first)).map((r) => r.result),
      ["created"],
    );
    assert.deepEqual(
      (await route(first)).map((r) => r.result),
      ["queued"],
    );
    await ledger.loadRun(first.id, undefined, true);
    assert.deepEqual(
      (await route(first)).map((r) => r.result),
      ["queued"],
    );
    await ledger.updateRun(first.id, { status: "completed", endedAt: Date.now() });
    assert.deepEqual(
      (await route(first)).map((r) => r.result),
      ["ended"],
    );
  });

  test("idempotent: a second run with the same idempotency key", async () => {
    const [a, b] = await route(run("idem", {}, { idempotencyKey: "k" }), run("idem", {}, { idempotencyKey: "k" }));
    assert.deepEqual([a?.result, b?.result], ["created", "idempotent"]);
  });

  test("rate-limited: a second run within the period of a limit of 1 (and a gate admitted before it)", async () => {
    const rateLimit = { key: "r", limit: 1, periodMs: 60_000 };
    const [gate, created, limited] = await route(
      run("rated", { gate: true, rateLimit: { ...rateLimit, key: "g" } }),
      run("rated", { rateLimit }),
      run("rated", { rateLimit }),
    );
    assert.deepEqual([gate?.result, created?.result, limited?.result], ["admitted", "created", "rate-limited"]);
    assert.equal((await ledger.readRun(`run-${next}`))?.status, "skipped");
  });

  test("singleton-skipped names the active run; a cancelling singleton names the run it replaced", async () => {
    const [held, skipped] = await route(
      run("single", { singleton: { key: "s", mode: "skip" } }),
      run("single", { singleton: { key: "s", mode: "skip" } }),
    );
    assert.deepEqual(
      [held?.result, skipped],
      ["created", { result: "singleton-skipped", startAt: skipped?.startAt, detail: `run-${next - 1}` }],
    );
    const [, replacing] = await route(
      run("cancel", { singleton: { key: "c", mode: "cancel" } }),
      run("cancel", { singleton: { key: "c", mode: "cancel" } }),
    );
    assert.deepEqual([replacing?.result, replacing?.detail], ["created", `run-${next - 1}`]);
    assert.equal((await ledger.readRun(`run-${next - 1}`))?.status, "cancelled");
  });

  test("throttled: the second run starts a period later, or is cancelled when that is past its start deadline", async () => {
    const throttle = { key: "t", limit: 1, periodMs: 60_000, burst: 0 };
    const now = Date.now();
    const [first, later, cancelled] = await route(
      run("throttled", { throttle }),
      run("throttled", { throttle }),
      run("throttled", { throttle, startDeadline: now + 1_000 }),
    );
    assert.equal(first?.result, "created");
    assert.ok(Math.abs((first?.startAt ?? 0) - now) < 5_000, `the first starts now, not at ${first?.startAt}`);
    assert.equal(later?.result, "created");
    assert.ok((later?.startAt ?? 0) - now >= 55_000, `the second starts a period later, not at ${later?.startAt}`);
    assert.equal(cancelled?.result, "cancelled");
  });
});
