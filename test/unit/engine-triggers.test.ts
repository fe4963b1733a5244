import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createFunction, FunctionDefinitionError } from "../../src/client/index.ts";
import { nameMatches } from "../../src/engine/definition/match-triggers.ts";
import { createRegistry } from "../../src/engine/definition/registry.ts";
import { locateWaiter, waiterEntry, waiterMatches } from "../../src/engine/store/waiters.ts";
import { readMatchPath } from "../../src/engine/definition/match-path.ts";
import { bridgeKeys, digest } from "../../src/redis/keys.ts";

const noop = () => null;
const event = (name: string, data: Record<string, unknown> = {}) => ({
  id: "e",
  name,
  data,
  ts: 0,
  receivedAt: 0,
  source: "test",
});

describe("trigger names", () => {
  const cases: Array<[string, string, boolean]> = [
    ["clerk/user.created", "clerk/user.created", true],
    ["clerk/user.created", "clerk/user.updated", false],
    ["clerk/user.*", "clerk/user.created", true],
    ["clerk/user.*", "clerk/session.created", false],
    ["clerk/*", "clerk/organization.membership.created", true],
    ["*", "anything", true],
    ["app/*.done", "app/export.done", true],
    ["app/*.done", "app/export.started", false],
  ];
  for (const [pattern, name, expected] of cases) {
    test(`${pattern} ${expected ? "matches" : "does not match"} ${name}`, () =>
      assert.equal(nameMatches(pattern, name), expected));
  }
});

describe("the registry", () => {
  test("matches exact, wildcard and `if` triggers, each function once", () => {
    const registry = createRegistry([
      createFunction({ id: "exact", triggers: [{ event: "clerk/user.created" }] }, noop),
      createFunction({ id: "wild", triggers: [{ event: "clerk/user.*" }, { event: "clerk/user.created" }] }, noop),
      createFunction(
        { id: "admins", triggers: [{ event: "clerk/user.created", if: "event.data.role == 'admin'" }] },
        noop,
      ),
    ]);
    assert.deepEqual(
      registry.match(event("clerk/user.created")).map((fn) => fn.id),
      ["exact", "wild"],
    );
    assert.deepEqual(
      registry.match(event("clerk/user.created", { role: "admin" })).map((fn) => fn.id),
      ["exact", "wild", "admins"],
    );
    assert.deepEqual(
      registry.match(event("clerk/user.deleted")).map((fn) => fn.id),
      ["wild"],
    );
  });

  test("refuses two functions with one id", () => {
    const fn = createFunction({ id: "twin", triggers: [{ event: "a" }] }, noop);
    assert.throws(() => createRegistry([fn, fn]), FunctionDefinitionError);
  });

  test("onFailure becomes a function triggered by inngest/function.failed for its parent", () => {
    const registry = createRegistry([
      createFunction({ id: "parent", triggers: [{ event: "a" }], onFailure: noop }, noop),
    ]);
    const failed = (functionId: string) => event("inngest/function.failed", { function_id: functionId });
    assert.deepEqual(
      registry.match(failed("parent")).map((fn) => fn.id),
      ["parent-failure"],
    );
    assert.deepEqual(registry.match(failed("other")), []);
    assert.equal(registry.listensTo("inngest/function.failed"), true);
    assert.equal(registry.listensTo("inngest/function.finished"), false);
  });
});

describe("createFunction", () => {
  const on = [{ event: "a" }];
  const refusals: Array<[string, Record<string, unknown>, RegExp]> = [
    ["an empty id", { id: "" }, /non-empty string id/],
    ["no trigger", { id: "none" }, /function "none": it needs at least one trigger/],
    [
      "a trigger `if` that does not parse",
      { id: "bad-if", triggers: [{ event: "a", if: "event.data.(" }] },
      /function "bad-if" triggers\[0\]\.if: invalid expression/,
    ],
    ["negative retries", { id: "bad-retries", triggers: on, retries: -1 }, /retries must be/],
    ["a concurrency limit of 0", { id: "bad-limit", triggers: on, concurrency: 0 }, /concurrency\.limit/],
    [
      "three concurrency limits",
      { id: "three", triggers: on, concurrency: [{ limit: 1 }, { limit: 2 }, { limit: 3 }] },
      /at most two limits/,
    ],
    [
      "an env-scoped limit without a key",
      { id: "env", triggers: on, concurrency: { limit: 1, scope: "env" } },
      /scope "env" needs a key/,
    ],
    ["a misspelt option", { id: "typo", triggers: on, retires: 3 }, /function "typo": unknown option "retires"/],
    [
      "an Inngest option the bridge does not run yet",
      { id: "checkpointed", triggers: on, checkpointing: true },
      /function "checkpointed": option "checkpointing" is not supported/,
    ],
    [
      "a cancelOn timeout that is not a duration",
      { id: "dayz", triggers: on, cancelOn: [{ event: "b", timeout: "7 dayz" }] },
      /function "dayz": cancelOn\[0\]\.timeout: "7 dayz" is not a duration/,
    ],
    [
      "a cancelOn match that is not a path",
      { id: "match", triggers: on, cancelOn: [{ event: "b", match: "data.id ==" }] },
      /function "match": cancelOn\[0\]\.match/,
    ],
    [
      "a cron with four fields",
      { id: "cron4", triggers: [{ cron: "*/5 * * *" }] },
      /function "cron4": triggers\[0\]\.cron: .* has 4 fields/,
    ],
    [
      "a cron out of range",
      { id: "cron61", triggers: [{ cron: "61 * * * *" }] },
      /function "cron61": triggers\[0\]\.cron: .*not a cron expression/,
    ],
    [
      "a cron jitter over Inngest's 5 minutes",
      { id: "jitter", triggers: [{ cron: "0 * * * *", jitter: "10m" }] },
      /function "jitter": triggers\[0\]\.jitter must be a duration from 1s to 5m/,
    ],
    [
      "a trigger field the engine does not know",
      { id: "expr", triggers: [{ event: "a", expression: "true" }] },
      /function "expr": triggers\[0\] has "expression", which this engine does not support/,
    ],
    [
      "a cron time zone that does not exist",
      { id: "crontz", triggers: [{ cron: "TZ=Mars/Base 0 9 * * *" }] },
      /function "crontz": triggers\[0\]\.cron: "Mars\/Base" is not an IANA time zone/,
    ],
  ];
  for (const [name, options, message] of refusals) {
    test(`refuses ${name} when the function is defined, naming the function and the option`, () => {
      assert.throws(
        () => createFunction(options as never, noop),
        (error: Error) => error.name === "FunctionDefinitionError" && message.test(error.message),
      );
    });
  }

  test("compiles what it accepts: cron with its time zone, cancelOn timeouts, concurrency limits", () => {
    const fn = createFunction(
      {
        id: "compiled",
        triggers: [{ cron: "TZ=Europe/Paris 0 9 * * *" }, { event: "a" }, { cron: "0 * * * *", jitter: "30s" }],
        cancelOn: [{ event: "b", match: "data.id", timeout: "1h30m" }],
        concurrency: [
          { limit: 2, key: "event.data.id" },
          { limit: 10, key: '"all"', scope: "env" },
        ],
      },
      noop,
    );
    assert.deepEqual(fn.triggers[0], { cron: "TZ=Europe/Paris 0 9 * * *", pattern: "0 9 * * *", tz: "Europe/Paris" });
    assert.deepEqual(fn.triggers[2], { cron: "0 * * * *", pattern: "0 * * * *", jitter: "30s", jitterMs: 30_000 });
    assert.equal(fn.cancelOn[0]?.timeoutMs, 90 * 60_000);
    assert.deepEqual(fn.concurrency, [
      { limit: 2, scope: "fn", key: "event.data.id" },
      { limit: 10, scope: "env", key: '"all"' },
    ]);
  });

  test("accepts both Inngest forms with the same result", () => {
    const modern = createFunction({ id: "f", triggers: [{ event: "a" }] }, noop);
    const older = createFunction({ id: "f" }, { event: "a" }, noop);
    assert.deepEqual(modern.triggers, older.triggers);
    assert.equal(modern.retries, 4);
  });
});

describe("waiters (waitForEvent and cancelOn matching)", () => {
  const keys = bridgeKeys("t");
  const trigger = { ...event("a", { id: "u1", n: 1 }), id: "trigger-1" };
  /** Whether an incoming event settles the waiter: found under the key its value names, then its condition. */
  const settles = (
    spec: { match?: string; if?: string },
    data: Record<string, unknown>,
    incomingId = "incoming-1",
  ): boolean => {
    const full = { eventName: "b", field: "r|wait|s", ...spec };
    const location = locateWaiter(keys, full, trigger);
    if (!location) return false;
    const incoming = { ...event("b", data), id: incomingId };
    const path = location.paths?.path;
    const lookedUp =
      path === undefined
        ? keys.ifWaiters("b")
        : keys.matchWaiters("b", path, digest(JSON.stringify(readMatchPath(incoming, path.split(".")))));
    if (lookedUp !== location.key) return false;
    return waiterMatches(waiterEntry({ kind: "wait", runId: "r", expiresAt: 0 }, full, trigger), incoming);
  };
  const cases: Array<[string, { match?: string; if?: string }, Record<string, unknown>, boolean]> = [
    ["no condition matches any event of the name", {}, {}, true],
    [
      "`if` sees the trigger as event and the incoming one as async",
      { if: "async.data.n > event.data.n" },
      { n: 2 },
      true,
    ],
    ["`if` false does not match", { if: "async.data.n > event.data.n" }, { n: 0 }, false],
    ["`if` on a missing field does not match (and does not throw)", { if: "async.data.nope == 1" }, {}, false],
    ["`match` compares one path in both", { match: "data.id" }, { id: "u1" }, true],
    ["`match` with a different value does not match", { match: "data.id" }, { id: "u9" }, false],
    ["`match` when the trigger lacks the field never matches", { match: "data.missing" }, {}, false],
    [
      "an `if` that compares one field of both is indexed as a match",
      { if: "event.data.id == async.data.id" },
      { id: "u1" },
      true,
    ],
    ["... and misses on another value", { if: "async.data.id == event.data.id" }, { id: "u2" }, false],
    [
      "`match` and `if` together: both must hold",
      { match: "data.id", if: "async.data.n > 1" },
      { id: "u1", n: 2 },
      true,
    ],
    [
      "`match` and `if` together: the `if` false",
      { match: "data.id", if: "async.data.n > 1" },
      { id: "u1", n: 0 },
      false,
    ],
  ];
  for (const [name, spec, data, expected] of cases) {
    test(name, () => assert.equal(settles(spec, data), expected));
  }

  test("the trigger event itself never settles its own run's waiters", () => {
    assert.equal(settles({}, {}, "trigger-1"), false);
  });

  test("a match waiter keeps only what a resume needs; an `if` waiter keeps its trigger", () => {
    assert.equal(
      waiterEntry(
        { kind: "cancel", runId: "r", expiresAt: 0 },
        { eventName: "b", field: "f", match: "data.id" },
        trigger,
      ).trigger,
      undefined,
    );
    assert.equal(
      waiterEntry(
        { kind: "cancel", runId: "r", expiresAt: 0 },
        { eventName: "b", field: "f", if: "event.data.id == async.data.id" },
        trigger,
      ).trigger,
      undefined,
    );
    assert.deepEqual(
      waiterEntry(
        { kind: "cancel", runId: "r", expiresAt: 0 },
        { eventName: "b", field: "f", if: "async.data.n > 1" },
        trigger,
      ).trigger?.data,
      { id: "u1", n: 1 },
    );
  });
});
