import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createFunction } from "../../src/client/index.ts";
import { newRun, planRoute, priorityFactor } from "../../src/engine/routing/plan-flow.ts";
import { createRunSession } from "../../src/engine/execution/run-session.ts";
import type { FunctionEvent, FunctionOptions } from "../../src/engine/definition/types.ts";
import { quietEffects } from "../helpers/session-effects.ts";

const noop = () => null;
const on = [{ event: "app/x" }];
const NOW = 1_700_000_000_000;
const event = (data: Record<string, unknown> = {}, fields: Partial<FunctionEvent> = {}): FunctionEvent => ({
  id: "e1",
  name: "app/x",
  data,
  ts: NOW,
  receivedAt: NOW,
  source: "test",
  ...fields,
});
const define = (options: Partial<FunctionOptions>) =>
  createFunction({ id: "f", triggers: on, ...options } as never, noop);

describe("flow-control options are checked when the function is defined", () => {
  const refusals: Array<[string, Partial<FunctionOptions> & Record<string, unknown>, RegExp]> = [
    [
      "a throttle without a limit",
      { throttle: { period: "1s" } as never },
      /function "f": throttle\.limit must be an integer of at least 1/,
    ],
    [
      "a throttle period under a second",
      { throttle: { limit: 1, period: "500ms" } },
      /throttle\.period must be at least 1s/,
    ],
    [
      "a throttle period that is not a duration",
      { throttle: { limit: 1, period: "soon" } },
      /throttle\.period: "soon" is not a duration/,
    ],
    [
      "a negative throttle burst",
      { throttle: { limit: 1, period: "1s", burst: -1 } },
      /throttle\.burst must be an integer of at least 0/,
    ],
    [
      "a throttle key that does not parse",
      { throttle: { limit: 1, period: "1s", key: "event.data.(" } },
      /function "f": throttle\.key: invalid expression/,
    ],
    [
      "an unknown throttle field",
      { throttle: { limit: 1, period: "1s", brust: 2 } as never },
      /throttle: unknown field "brust"/,
    ],
    [
      "a rate limit period over 24 h",
      { rateLimit: { limit: 1, period: "25h" } },
      /rateLimit\.period must be between 1s and 1d/,
    ],
    [
      "a rate limit of 0",
      { rateLimit: { limit: 0, period: "1h" } },
      /rateLimit\.limit must be an integer of at least 1/,
    ],
    [
      "idempotency next to a rate limit",
      { idempotency: "event.data.id", rateLimit: { limit: 1, period: "1h" } },
      /idempotency and rateLimit cannot be used together/,
    ],
    [
      "a debounce period under a second",
      { debounce: { period: "100ms" } },
      /debounce\.period must be between 1s and 7d/,
    ],
    ["a debounce period over 7 days", { debounce: { period: "8d" } }, /debounce\.period must be between 1s and 7d/],
    [
      "a batch of one",
      { batchEvents: { maxSize: 1, timeout: "5s" } },
      /batchEvents\.maxSize must be an integer of at least 2/,
    ],
    [
      "a batch timeout over 10 minutes",
      { batchEvents: { maxSize: 10, timeout: "1h" } },
      /batchEvents\.timeout must be between 1s and 10m/,
    ],
    [
      "a batch with cancelOn",
      { batchEvents: { maxSize: 10, timeout: "5s" }, cancelOn: [{ event: "app/y" }] },
      /batchEvents cannot be used together with cancelOn/,
    ],
    [
      "a batch with a debounce",
      { batchEvents: { maxSize: 10, timeout: "5s" }, debounce: { period: "5s" } },
      /batchEvents cannot be used together with debounce/,
    ],
    [
      "a batch with a singleton",
      { batchEvents: { maxSize: 10, timeout: "5s" }, singleton: { mode: "skip" } },
      /batchEvents cannot be used together with singleton/,
    ],
    [
      "a batch with a rate limit",
      { batchEvents: { maxSize: 10, timeout: "5s" }, rateLimit: { limit: 1, period: "1h" } },
      /batchEvents cannot be used together with rateLimit/,
    ],
    [
      "a batch with idempotency",
      { batchEvents: { maxSize: 10, timeout: "5s" }, idempotency: "event.data.id" },
      /batchEvents cannot be used together with idempotency/,
    ],
    [
      "a batch with a priority",
      { batchEvents: { maxSize: 10, timeout: "5s" }, priority: { run: "1" } },
      /batchEvents cannot be used together with priority\.run/,
    ],
    [
      "a batch of cron ticks",
      { triggers: [{ cron: "* * * * *" }], batchEvents: { maxSize: 10, timeout: "5s" } },
      /batchEvents needs event triggers/,
    ],
    [
      "a priority that does not parse",
      { priority: { run: "event.data.(" } },
      /function "f": priority\.run: invalid expression/,
    ],
    ["a start timeout under a second", { timeouts: { start: "10ms" } }, /timeouts\.start must be at least 1s/],
    [
      "a finish timeout that is not a duration",
      { timeouts: { finish: "later" } },
      /timeouts\.finish: "later" is not a duration/,
    ],
    ["a singleton without a mode", { singleton: {} as never }, /singleton\.mode must be "skip" or "cancel"/],
    [
      "a singleton with another mode",
      { singleton: { mode: "queue" } as never },
      /singleton\.mode must be "skip" or "cancel"/,
    ],
  ];
  for (const [name, options, message] of refusals) {
    test(`refuses ${name}`, () => {
      assert.throws(
        () => define(options),
        (error: Error) => error.name === "FunctionDefinitionError" && message.test(error.message),
        message.source,
      );
    });
  }

  test("compiles what it accepts: durations in ms, Inngest's defaults", () => {
    const fn = define({
      throttle: { limit: 2, period: "1m", key: "event.data.account" },
      rateLimit: { limit: 10, period: "1h" },
      debounce: { period: "5s", timeout: "1m", key: "event.data.user" },
      priority: { run: "event.data.plan == 'pro' ? 120 : 0" },
      timeouts: { start: "30s", finish: "1h30m" },
      singleton: { mode: "cancel", key: "event.data.user" },
    });
    assert.deepEqual(fn.flow, {
      throttle: { limit: 2, periodMs: 60_000, burst: 0, key: "event.data.account" },
      rateLimit: { limit: 10, periodMs: 3_600_000 },
      debounce: { periodMs: 5000, timeoutMs: 60_000, key: "event.data.user" },
      priority: { run: "event.data.plan == 'pro' ? 120 : 0" },
      timeouts: { startMs: 30_000, finishMs: 5_400_000 },
      singleton: { mode: "cancel", key: "event.data.user" },
    });
    assert.deepEqual(define({ batchEvents: { maxSize: 100, timeout: "5s", if: "event.data.bulk" } }).flow, {
      batchEvents: { maxSize: 100, timeoutMs: 5000, if: "event.data.bulk" },
    });
    assert.deepEqual(define({}).flow, {});
  });
});

describe("planRoute: what the router does with a matching function", () => {
  test("a batched function takes the event into its batch, per key", () => {
    const fn = define({ batchEvents: { maxSize: 5, timeout: "5s", key: "event.data.account" } });
    assert.deepEqual(planRoute(fn, event({ account: "a1" }), NOW), { kind: "batch", key: "a1" });
  });

  test("a batch `if` that is false (or fails) runs the event at once, unbatched", () => {
    const fn = define({ batchEvents: { maxSize: 5, timeout: "5s", if: "event.data.bulk == true" } });
    assert.equal(planRoute(fn, event({ bulk: false }), NOW).kind, "run");
    assert.equal(planRoute(fn, event({}), NOW).kind, "run");
    assert.equal(planRoute(fn, event({ bulk: true }), NOW).kind, "batch");
  });

  test("a debounced event passes the rate limit first, as in Inngest", () => {
    const gated = planRoute(
      define({ debounce: { period: "5s" }, rateLimit: { limit: 1, period: "1h" } }),
      event(),
      NOW,
    );
    assert.equal(gated.kind, "debounce");
    assert.deepEqual(gated.kind === "debounce" && gated.gate?.flow, {
      gate: true,
      rateLimit: { key: "", limit: 1, periodMs: 3_600_000 },
    });
    assert.deepEqual(
      planRoute(define({ debounce: { period: "5s", key: "event.data.user" } }), event({ user: "u1" }), NOW),
      { kind: "debounce", key: "u1" },
    );
  });

  test("a rate limit or singleton key of `false` turns it off for that event", () => {
    const fn = define({
      rateLimit: { limit: 1, period: "1h", key: "event.data.free ? event.data.user : false" },
      singleton: { mode: "skip", key: "event.data.free ? event.data.user : false" },
    });
    assert.deepEqual(newRun(fn, event({ free: false }), NOW).flow, {});
    assert.deepEqual(newRun(fn, event({ free: true, user: "u1" }), NOW).flow, {
      rateLimit: { key: "u1", limit: 1, periodMs: 3_600_000 },
      singleton: { key: "u1", mode: "skip" },
    });
  });

  test("a negative priority delays the start by its seconds; a positive one is kept to order the line", () => {
    const fn = define({ priority: { run: "event.data.p" } });
    assert.equal(newRun(fn, event({ p: -30 }), NOW).scheduledFor, NOW + 30_000);
    const ahead = newRun(fn, event({ p: 120 }), NOW);
    assert.equal(ahead.scheduledFor, undefined);
    assert.equal(ahead.flow?.priority, 120);
  });

  test("a start timeout counts from when the run is due", () => {
    const fn = define({ timeouts: { start: "10s" } });
    assert.equal(newRun(fn, event(), NOW).flow?.startDeadline, NOW + 10_000);
    assert.equal(newRun(fn, event({}, { ts: NOW + 60_000 }), NOW).flow?.startDeadline, NOW + 70_000);
  });

  test("a batch's run is identified by the batch and keeps its events in order", () => {
    const run = newRun(define({ batchEvents: { maxSize: 5, timeout: "5s" } }), event(), NOW, {
      batch: { id: "batch-1", eventIds: ["e1", "e2"] },
    });
    assert.notEqual(run.id, newRun(define({}), event(), NOW).id);
    assert.deepEqual(run.flow?.eventIds, ["e1", "e2"]);
  });
});

describe("priorityFactor", () => {
  const cases: Array<[string, string, Record<string, unknown>, number]> = [
    ["an int literal", "120", {}, 120],
    ["a whole number from the event", "event.data.p", { p: -5 }, -5],
    ["a fraction is not an int: no priority", "event.data.p", { p: 1.5 }, 0],
    ["a string is not an int: no priority", "'high'", {}, 0],
    ["an expression that fails: no priority", "event.data.missing", {}, 0],
    ["clamped to 12 h, as the server does", "99999", {}, 43_200],
    ["clamped both ways", "-99999", {}, -43_200],
  ];
  for (const [name, source, data, expected] of cases)
    test(name, () => assert.equal(priorityFactor(source, event(data)), expected));
});

describe("timeouts.finish in the session: no new step after the deadline", () => {
  test("a step due after the deadline does not run; the session suspends at once", async () => {
    let now = NOW;
    const ran: string[] = [];
    const effects = quietEffects();
    const session = createRunSession({
      steps: new Map(),
      retries: 0,
      retryBaseMs: 1000,
      effects,
      now: () => now,
      deadline: NOW + 1000,
    });
    const outcome = await session.settle(async () => {
      await session.tools.run("first", () => {
        ran.push("first");
        now += 5000; // the step outlives the deadline: it still completes
      });
      await session.tools.run("second", () => ran.push("second"));
    });
    assert.deepEqual(ran, ["first"]);
    assert.deepEqual(outcome, { kind: "suspended", until: NOW + 5000, status: "running" });
  });
});
