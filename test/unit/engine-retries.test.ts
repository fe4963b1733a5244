import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { backoffDelay, decideRetry, MAX_BACKOFF_MS } from "../../src/engine/definition/backoff.ts";
import { NonRetriableError, RetryAfterError, StepError } from "../../src/client/index.ts";
import { toStorable } from "../../src/engine/execution/to-storable.ts";

describe("backoff", () => {
  test("doubles per attempt, with 50-100% jitter, capped at an hour", () => {
    assert.equal(
      backoffDelay(1, 1000, () => 1),
      1000,
    );
    assert.equal(
      backoffDelay(3, 1000, () => 1),
      4000,
    );
    assert.equal(
      backoffDelay(3, 1000, () => 0),
      2000,
    );
    assert.equal(
      backoffDelay(40, 1000, () => 1),
      MAX_BACKOFF_MS,
    );
  });

  const base = { retries: 2, now: 0, baseMs: 1000, random: () => 1 };
  test("retries while attempts remain; retries: 2 means three attempts", () => {
    assert.deepEqual(decideRetry({ ...base, error: new Error("x"), failedAttempts: 1 }), { kind: "retry", at: 1000 });
    assert.deepEqual(decideRetry({ ...base, error: new Error("x"), failedAttempts: 2 }), { kind: "retry", at: 2000 });
    assert.deepEqual(decideRetry({ ...base, error: new Error("x"), failedAttempts: 3 }), { kind: "fail" });
  });

  test("NonRetriableError and StepError fail at once, also when recognised by name only", () => {
    assert.deepEqual(decideRetry({ ...base, error: new NonRetriableError("no"), failedAttempts: 1 }), { kind: "fail" });
    // A StepError carries the original error's name: it is known by its brand, not by name.
    assert.deepEqual(
      decideRetry({
        ...base,
        error: new StepError("s", { name: "RetryAfterError", message: "x", retryAfter: "1" }),
        failedAttempts: 1,
      }),
      { kind: "fail" },
    );
    const foreign = Object.assign(new Error("from another copy of the SDK"), { name: "NonRetriableError" });
    assert.deepEqual(decideRetry({ ...base, error: foreign, failedAttempts: 1 }), { kind: "fail" });
  });

  test("RetryAfterError encodes retryAfter as Inngest does: whole seconds as a string, or an ISO date", () => {
    assert.equal(new RetryAfterError("429", 5000).retryAfter, "5");
    assert.equal(new RetryAfterError("429", 1).retryAfter, "1");
    assert.equal(new RetryAfterError("429", "1h").retryAfter, "3600");
    assert.equal(new RetryAfterError("429", new Date(Date.UTC(2030, 0, 1))).retryAfter, "2030-01-01T00:00:00.000Z");
    assert.equal(new RetryAfterError("429", 1, { cause: "quota" }).cause, "quota");
    assert.throws(() => new RetryAfterError("429", "soon"), TypeError);
  });

  test("a requested retry is kept between 1 s and 24 h away, as Inngest's server keeps it", () => {
    assert.deepEqual(decideRetry({ ...base, error: new RetryAfterError("429", 0), failedAttempts: 1 }), {
      kind: "retry",
      at: 1000,
    });
    assert.deepEqual(decideRetry({ ...base, error: new RetryAfterError("429", "3d"), failedAttempts: 1 }), {
      kind: "retry",
      at: 86_400_000,
    });
  });

  test("RetryAfterError sets the time (ms, ms string or Date)", () => {
    assert.deepEqual(decideRetry({ ...base, error: new RetryAfterError("429", 30_000), failedAttempts: 1 }), {
      kind: "retry",
      at: 30_000,
    });
    assert.deepEqual(decideRetry({ ...base, error: new RetryAfterError("429", "2m"), failedAttempts: 1 }), {
      kind: "retry",
      at: 120_000,
    });
    assert.deepEqual(decideRetry({ ...base, error: new RetryAfterError("429", new Date(5000)), failedAttempts: 1 }), {
      kind: "retry",
      at: 5000,
    });
  });
});

describe("step results are stored as JSON", () => {
  test("plain values round-trip; undefined becomes null; Dates become strings", () => {
    assert.deepEqual(toStorable({ a: [1, "b", null, true] }, "step"), { a: [1, "b", null, true] });
    assert.equal(toStorable(undefined, "step"), null);
    assert.equal(toStorable(new Date(0), "step"), "1970-01-01T00:00:00.000Z");
  });

  test("values JSON would lose are refused with the path", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const cases: Array<[unknown, RegExp]> = [
      [{ n: 1n }, /result.n is a BigInt/],
      [{ list: [() => 1] }, /result.list\[0\] is a function/],
      [new Map(), /result is a Map/],
      [cyclic, /result.self refers back to itself/],
    ];
    for (const [value, message] of cases) {
      assert.throws(
        () => toStorable(value, 'step "x"'),
        (error: Error) => error.name === "NonRetriableError" && message.test(error.message),
      );
    }
  });
});
