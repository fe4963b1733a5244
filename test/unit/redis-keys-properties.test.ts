import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { runIdFor } from "../../src/engine/run-id.ts";
import { eventJobId } from "../../src/queue/event-jobs.ts";
import { EVENTS_QUEUE, RUNS_QUEUE } from "../../src/queue/queue-names.ts";
import { bridgeKeys } from "../../src/redis/keys.ts";

/** The names BullMQ gives its own keys under a queue (see test/integration/hostile-ids.test.ts). */
const BULLMQ_NAMES = new Set(["", "wait", "waiting", "active", "paused", "meta", "marker", "id", "events", "delayed", "delay",
  "prioritized", "priority", "completed", "failed", "stalled", "stalled-check", "limiter", "repeat", "pc", "de", "dn",
  "waiting-children", "metrics", "node", "subs", "inbox", "retained", "cleanup", "started", "ret", "layout", "mid"]);

// Strings as users send them, and strings made to look like BullMQ's keys.
const userString = fc.oneof(
  fc.string({ maxLength: 600 }),
  fc.string({ unit: "binary", maxLength: 80 }),
  fc.constantFrom(...BULLMQ_NAMES, "job:lock", "x:logs", "123", "metrics:failed:data", "de:abc", "{cwb}:events:wait"),
  fc.tuple(fc.constantFrom(...BULLMQ_NAMES), fc.constantFrom(":lock", ":logs", ":data", "", ":dependencies")).map(([a, b]) => a + b),
);

describe("no user-chosen string becomes a Redis key or job id unchanged", () => {
  test("an event's job id is prefixed or digested: never a BullMQ key name, never with ':', never numeric, one per id", () => {
    fc.assert(
      fc.property(userString, userString, (a, b) => {
        const job = eventJobId(a);
        assert.match(job, /^(e-[A-Za-z0-9_.~-]{1,200}|h-[A-Za-z0-9_-]{32})$/);
        assert.ok(!BULLMQ_NAMES.has(job) && !BULLMQ_NAMES.has(job.split(":")[0]!));
        assert.ok(!/^\d+$/.test(job));
        assert.equal(eventJobId(a), job, "stable: a redelivery maps to the same job");
        if (a !== b) assert.notEqual(eventJobId(b), job, "distinct ids, distinct jobs");
      }),
      { numRuns: 2000 },
    );
  });

  test("every key made from a user string is the bridge's own, bounded, and distinct per string", () => {
    const keys = bridgeKeys("cwb");
    const makers: Array<[string, (value: string) => string]> = [
      ["eventLogByName", keys.eventLogByName],
      ["ifWaiters", keys.ifWaiters],
      ["waiterPaths", keys.waiterPaths],
      ["matchWaiters", (value) => keys.matchWaiters(value, value, "v")],
      ["runIndexByFunction", keys.runIndexByFunction],
      ["eventRuns", keys.eventRuns],
      ["idempotency", (value) => keys.idempotency("fn", value)],
      ["concurrency", (value) => keys.concurrency("scope", value)],
      ["session", keys.session],
      ["run (of a run id made from user strings)", (value) => keys.run(runIdFor(value, value))],
    ];
    fc.assert(
      fc.property(userString, userString, (a, b) => {
        for (const [name, make] of makers) {
          const key = make(a);
          assert.match(key, /^\{cwb\}:[a-z-]+(?::[a-z]+)?(?::[A-Za-z0-9_-]{1,30})+$/, `${name}(${JSON.stringify(a)}) = ${key}`);
          for (const queue of [EVENTS_QUEUE, RUNS_QUEUE]) assert.ok(!key.startsWith(`{cwb}:${queue}:`), `${name} is under BullMQ's ${queue} queue`);
          if (a !== b) assert.notEqual(make(b), key, `${name}: two strings, one key`);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
