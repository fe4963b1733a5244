import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createFunction, FunctionDefinitionError } from "../../src/engine/index.ts";
import { nameMatches } from "../../src/engine/match-triggers.ts";
import { createRegistry } from "../../src/engine/registry.ts";
import { waiterMatches, type Waiter } from "../../src/engine/waiters.ts";

const noop = () => null;
const event = (name: string, data: Record<string, unknown> = {}) => ({ id: "e", name, data, ts: 0, receivedAt: 0, source: "test" });

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
    test(`${pattern} ${expected ? "matches" : "does not match"} ${name}`, () => assert.equal(nameMatches(pattern, name), expected));
  }
});

describe("the registry", () => {
  test("matches exact, wildcard and `if` triggers, each function once", () => {
    const registry = createRegistry([
      createFunction({ id: "exact", triggers: [{ event: "clerk/user.created" }] }, noop),
      createFunction({ id: "wild", triggers: [{ event: "clerk/user.*" }, { event: "clerk/user.created" }] }, noop),
      createFunction({ id: "admins", triggers: [{ event: "clerk/user.created", if: "event.data.role == 'admin'" }] }, noop),
    ]);
    assert.deepEqual(registry.match(event("clerk/user.created")).map((fn) => fn.id), ["exact", "wild"]);
    assert.deepEqual(registry.match(event("clerk/user.created", { role: "admin" })).map((fn) => fn.id), ["exact", "wild", "admins"]);
    assert.deepEqual(registry.match(event("clerk/user.deleted")).map((fn) => fn.id), ["wild"]);
  });

  test("refuses two functions with one id", () => {
    const fn = createFunction({ id: "twin", triggers: [{ event: "a" }] }, noop);
    assert.throws(() => createRegistry([fn, fn]), FunctionDefinitionError);
  });

  test("onFailure becomes a function triggered by inngest/function.failed for its parent", () => {
    const registry = createRegistry([createFunction({ id: "parent", triggers: [{ event: "a" }], onFailure: noop }, noop)]);
    const failed = (functionId: string) => event("inngest/function.failed", { function_id: functionId });
    assert.deepEqual(registry.match(failed("parent")).map((fn) => fn.id), ["parent-failure"]);
    assert.deepEqual(registry.match(failed("other")), []);
    assert.equal(registry.listensTo("inngest/function.failed"), true);
    assert.equal(registry.listensTo("inngest/function.finished"), false);
  });
});

describe("createFunction", () => {
  test("refuses a definition it could not run, naming the function", () => {
    assert.throws(() => createFunction({ id: "" }, { event: "a" }, noop), /non-empty string id/);
    assert.throws(() => createFunction({ id: "none" }, noop), /function "none": it needs at least one trigger/);
    assert.throws(() => createFunction({ id: "bad-if", triggers: [{ event: "a", if: "event.data.(" }] }, noop), /function "bad-if" trigger "a" if: invalid expression/);
    assert.throws(() => createFunction({ id: "bad-retries", triggers: [{ event: "a" }], retries: -1 }, noop), /retries must be/);
    assert.throws(() => createFunction({ id: "bad-limit", triggers: [{ event: "a" }], concurrency: 0 }, noop), /concurrency.limit/);
  });

  test("accepts both Inngest forms with the same result", () => {
    const modern = createFunction({ id: "f", triggers: [{ event: "a" }] }, noop);
    const older = createFunction({ id: "f" }, { event: "a" }, noop);
    assert.deepEqual(modern.triggers, older.triggers);
    assert.equal(modern.retries, 4);
  });
});

describe("waiters (waitForEvent and cancelOn matching)", () => {
  const waiter = (fields: Partial<Waiter>): Waiter => ({ kind: "wait", runId: "r", trigger: event("a", { id: "u1", n: 1 }), expiresAt: 0, ...fields });
  const cases: Array<[string, Partial<Waiter>, Record<string, unknown>, boolean]> = [
    ["no condition matches any event of the name", {}, {}, true],
    ["`if` sees the trigger as event and the incoming one as async", { if: "event.data.id == async.data.id" }, { id: "u1" }, true],
    ["`if` false does not match", { if: "event.data.id == async.data.id" }, { id: "u2" }, false],
    ["`if` on a missing field does not match (and does not throw)", { if: "async.data.nope == 1" }, {}, false],
    ["`match` compares one path in both", { match: "data.id" }, { id: "u1" }, true],
    ["`match` with a different value does not match", { match: "data.id" }, { id: "u9" }, false],
    ["`match` when the trigger lacks the field never matches", { match: "data.missing" }, {}, false],
  ];
  for (const [name, fields, data, expected] of cases) {
    test(name, () => assert.equal(waiterMatches(waiter(fields), event("b", data)), expected));
  }
});
