import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { runIdFor } from "../../src/engine/store/run-id.ts";
import { eventJobId } from "../../src/queue/event-jobs.ts";
import { EVENTS_QUEUE, RUNS_QUEUE } from "../../src/queue/queue-names.ts";
import { bridgeKeys } from "../../src/redis/keys.ts";
import { scopeEventId } from "../../src/events/scope-event-id.ts";
import { BULLMQ_QUEUE_KEY_NAMES } from "../helpers/bullmq-key-names.ts";

/** The names BullMQ gives its own keys under a queue, and the empty name. */
const BULLMQ_NAMES = new Set(["", ...BULLMQ_QUEUE_KEY_NAMES]);

// Strings as users send them, and strings made to look like BullMQ's keys.
const userString = fc.oneof(
  fc.string({ maxLength: 600 }),
  fc.string({ unit: "binary", maxLength: 80 }),
  fc.constantFrom(...BULLMQ_NAMES, "job:lock", "x:logs", "123", "metrics:failed:data", "de:abc", "{cwb}:events:wait"),
  fc
    .tuple(fc.constantFrom(...BULLMQ_NAMES), fc.constantFrom(":lock", ":logs", ":data", "", ":dependencies"))
    .map(([a, b]) => a + b),
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
          assert.match(
            key,
            /^\{cwb\}:[a-z-]+(?::[a-z]+)?(?::[A-Za-z0-9_-]{1,30})+$/,
            `${name}(${JSON.stringify(a)}) = ${key}`,
          );
          for (const queue of [EVENTS_QUEUE, RUNS_QUEUE])
            assert.ok(!key.startsWith(`{cwb}:${queue}:`), `${name} is under BullMQ's ${queue} queue`);
          if (a !== b) assert.notEqual(make(b), key, `${name}: two strings, one key`);
        }
      }),
      { numRuns: 1000 },
    );
  });

  test("an untrusted key's ids live apart: never one a trusted sender names as it is, stable, one per id", () => {
    fc.assert(
      fc.property(userString, userString, (a, b) => {
        const scoped = scopeEventId(a, { untrusted: true });
        assert.match(scoped, /^u~[A-Za-z0-9_-]{22}$/);
        assert.equal(scopeEventId(a, { untrusted: true }), scoped, "stable: the same id from untrusted keys dedupes");
        if (a !== b)
          assert.notEqual(
            scopeEventId(b, { untrusted: true }),
            scoped,
            "distinct ids stay distinct: no two events collapse into one run",
          );
        assert.equal(scopeEventId(a, {}), a, "a trusted sender's id is kept");
        // To take a trusted id b, an untrusted key would need the digest's preimage: b is never hit.
        if (!/^u~[A-Za-z0-9_-]{22}$/.test(b)) assert.notEqual(scoped, b);
        assert.equal(eventJobId(scoped), `e-${scoped}`, "and its job id is an ordinary prefixed one");
        assert.notEqual(runIdFor("fn", scoped), runIdFor("fn", a), "its runs are not the trusted id's runs");
      }),
      { numRuns: 2000 },
    );
  });

  test("a tombstone's key is the digest of the user id, never the id", () => {
    const keys = bridgeKeys("cwb");
    fc.assert(
      fc.property(userString, userString, (a, b) => {
        const key = keys.tombstone(a);
        assert.match(key, /^\{cwb\}:tombstone:[A-Za-z0-9_-]{22}$/);
        if (a !== b) assert.notEqual(keys.tombstone(b), key);
      }),
      { numRuns: 1000 },
    );
  });
});
