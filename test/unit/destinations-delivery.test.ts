import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { checkDestination, type LoadedDestination } from "../../src/destinations/check-destination.ts";
import { defineDestination } from "../../src/destinations/define-destination.ts";
import { triggersFor } from "../../src/destinations/destinations-function.ts";
import { judgeAnswer, parseRetryAfter, type AnswerVerdict } from "../../src/destinations/judge-answer.ts";
import { idempotencyKey, prepareRequest } from "../../src/destinations/prepare-request.ts";

const NONE = new Set<number>();

describe("judging a destination's answer", () => {
  const cases: Array<[string, number, string | null, ReadonlySet<number>, AnswerVerdict["kind"]]> = [
    ["200 is delivered", 200, null, NONE, "delivered"],
    ["201 and 204 are delivered", 204, null, NONE, "delivered"],
    ["a status the destination accepts is delivered (Intercom's 409)", 409, null, new Set([409]), "delivered"],
    ["400 is refused for good", 400, null, NONE, "refused"],
    ["401, 403, 404, 409, 410, 422 are refused for good", 422, null, NONE, "refused"],
    ["a redirect is refused: it is not followed", 301, null, NONE, "refused"],
    ["408 is retried", 408, null, NONE, "retry"],
    ["429 without Retry-After is retried with backoff", 429, null, NONE, "retry"],
    ["429 with Retry-After waits as asked", 429, "30", NONE, "retry-after"],
    ["503 with Retry-After waits as asked", 503, "Wed, 21 Oct 2015 07:28:00 GMT", NONE, "retry-after"],
    ["503 with an unreadable Retry-After is retried with backoff", 503, "soon", NONE, "retry"],
    ["500 is retried", 500, null, NONE, "retry"],
    ["502 with Retry-After ignores it (only 429 and 503 carry one)", 502, "30", NONE, "retry"],
  ];
  for (const [name, status, retryAfter, accept, kind] of cases) {
    test(name, () => assert.equal(judgeAnswer(status, retryAfter, accept).kind, kind));
  }

  test("Retry-After is seconds or an HTTP date", () => {
    assert.equal(parseRetryAfter("120"), 120_000);
    assert.deepEqual(parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT"), new Date("2015-10-21T07:28:00Z"));
    assert.equal(parseRetryAfter(null), undefined);
    assert.equal(parseRetryAfter(""), undefined);
    assert.equal(parseRetryAfter("-1"), undefined);
  });
});

describe("the request a destination makes", () => {
  test("the idempotency key is the same for one event and destination, and differs otherwise", () => {
    const key = idempotencyKey("evt_1", "slack");
    assert.equal(idempotencyKey("evt_1", "slack"), key);
    assert.notEqual(idempotencyKey("evt_1", "intercom"), key);
    assert.notEqual(idempotencyKey("evt_2", "slack"), key);
    assert.match(key, /^[0-9a-f]{32}$/);
  });

  test("an object body is sent as JSON, POST by default, with the idempotency key whatever the destination's headers say", () => {
    const prepared = prepareRequest(
      { url: "https://example.com/hook", headers: { "Idempotency-Key": "mine", "X-Custom": "1" }, body: { a: 1 } },
      "k1",
    );
    assert.equal(prepared.method, "POST");
    assert.equal(prepared.body, '{"a":1}');
    assert.equal(prepared.headers.get("content-type"), "application/json");
    assert.equal(prepared.headers.get("idempotency-key"), "k1");
    assert.equal(prepared.headers.get("x-custom"), "1");
  });

  test("a string body is sent as it is, with the destination's content type", () => {
    const prepared = prepareRequest(
      { url: "https://example.com/", method: "put", headers: { "content-type": "text/plain" }, body: "hello" },
      "k",
    );
    assert.equal(prepared.method, "PUT");
    assert.equal(prepared.body, "hello");
    assert.equal(prepared.headers.get("content-type"), "text/plain");
  });

  test("a request that can never be sent is refused with the reason", () => {
    assert.throws(() => prepareRequest({ url: "/relative" }, "k"), /absolute URL/);
    assert.throws(() => prepareRequest({ url: "ftp://example.com/" }, "k"), /http: or https:/);
    assert.throws(
      () => prepareRequest({ url: "https://example.com/", method: "GET", body: { a: 1 } }, "k"),
      /GET request cannot have a body/,
    );
    assert.throws(() => prepareRequest("https://example.com/" as never, "k"), /must return \{ url/);
  });
});

describe("the destinations function's triggers", () => {
  const loaded = (name: string, events: string[], condition?: string): LoadedDestination =>
    checkDestination(
      defineDestination({ name, env: [], events, ...(condition ? { if: condition } : {}), request: () => null }),
      `${name}.ts`,
      {},
    );

  test("one trigger per pattern, the union of all destinations", () => {
    assert.deepEqual(
      triggersFor([loaded("a", ["clerk/user.created"]), loaded("b", ["clerk/user.created", "clerk/user.*"])]),
      [{ event: "clerk/user.created" }, { event: "clerk/user.*" }],
    );
  });

  test("a pattern whose destinations all have an if gets their disjunction; one without an if takes every event", () => {
    assert.deepEqual(triggersFor([loaded("a", ["x"], "event.data.a == 1"), loaded("b", ["x"], "event.data.b == 2")]), [
      { event: "x", if: "(event.data.a == 1) || (event.data.b == 2)" },
    ]);
    assert.deepEqual(triggersFor([loaded("a", ["x"], "event.data.a == 1"), loaded("b", ["x"])]), [{ event: "x" }]);
    assert.deepEqual(triggersFor([loaded("a", ["x"], "event.data.a == 1"), loaded("b", ["x"], "event.data.a == 1")]), [
      { event: "x", if: "event.data.a == 1" },
    ]);
  });
});
