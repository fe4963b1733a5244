import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, test } from "node:test";
import { BULK_MAX, describeBulkRequest, parseBulkRequest } from "../../src/bulk/bulk-request.ts";
import { nextCronTick, percentile, summarizeRuns } from "../../src/dashboard/function-stats.ts";
import { matchesDelivery } from "../../src/deliveries/delivery-log.ts";
import { describeRejection } from "../../src/http/record-rejections.ts";
import { BridgeError } from "../../src/errors.ts";
import { matchesData, matchesName, parseEventSearch } from "../../src/search/event-search-query.ts";
import type { VerifiedWebhook } from "../../src/webhooks/verify-svix-signature.ts";

describe("event search queries", () => {
  test("a path = value, a * pattern, or a term", () => {
    assert.deepEqual(parseEventSearch("data.id = user_123"), { kind: "path", path: ["data", "id"], value: "user_123" });
    assert.deepEqual(parseEventSearch("user.email_addresses.0.email_address='ada@example.com'"), {
      kind: "path",
      path: ["user", "email_addresses", "0", "email_address"],
      value: "ada@example.com",
    });
    assert.deepEqual(parseEventSearch(' id = "user_1" '), { kind: "path", path: ["data", "id"], value: "user_1" });
    assert.deepEqual(parseEventSearch("clerk/user.*"), { kind: "pattern", pattern: "clerk/user.*" });
    assert.deepEqual(parseEventSearch("ada@example.com"), { kind: "term", term: "ada@example.com" });
    assert.deepEqual(parseEventSearch("user.created"), { kind: "term", term: "user.created" });
  });

  test("names match a pattern or a term's start, from the beginning or after the source's prefix", () => {
    const names = [
      "clerk/user.created",
      "clerk/user.deleted",
      "clerk/session.created",
      "app/user.created",
      "inngest/function.failed",
    ];
    const find = (search: { pattern: string } | { term: string }) => names.filter((name) => matchesName(name, search));
    assert.deepEqual(find({ pattern: "clerk/user.*" }), ["clerk/user.created", "clerk/user.deleted"]);
    assert.deepEqual(find({ pattern: "*.created" }), [
      "clerk/user.created",
      "clerk/session.created",
      "app/user.created",
    ]);
    assert.deepEqual(find({ pattern: "user.*" }), ["clerk/user.created", "clerk/user.deleted", "app/user.created"]);
    assert.deepEqual(find({ term: "user.created" }), ["clerk/user.created", "app/user.created"]);
    assert.deepEqual(find({ term: "clerk/user" }), ["clerk/user.created", "clerk/user.deleted"]);
    assert.deepEqual(find({ term: "CLERK/" }), ["clerk/user.created", "clerk/user.deleted", "clerk/session.created"]);
    assert.deepEqual(find({ pattern: "clerk/(user).*" }), [], "regular expression characters are literal");
  });

  test("data matches a path's value (any case), or a term anywhere in data and user", () => {
    const event = {
      data: { id: "user_123", email_addresses: [{ email_address: "Ada@Example.com" }], age: 36 },
      user: { external_id: "ext-9" },
    };
    assert.equal(matchesData(event, { path: ["data", "id"], value: "user_123" }), true);
    assert.equal(
      matchesData(event, { path: ["data", "email_addresses", "0", "email_address"], value: "ada@example.com" }),
      true,
    );
    assert.equal(matchesData(event, { path: ["data", "age"], value: "36" }), true);
    assert.equal(
      matchesData(event, { path: ["data", "email_addresses"], value: "x" }),
      false,
      "an object is not a value",
    );
    assert.equal(matchesData(event, { path: ["data", "missing", "deeper"], value: "x" }), false);
    assert.equal(matchesData(event, { term: "ada@example" }), true);
    assert.equal(matchesData(event, { term: "ext-9" }), true);
    assert.equal(matchesData(event, { term: "grace" }), false);
  });
});

describe("function statistics", () => {
  const NOW = 10_000_000;
  test("states counted, failure rate over the last 24 hours, p50 and p95 of completed runs", () => {
    const runs = [
      ...Array.from({ length: 19 }, (_, i) => ({
        id: `c${i}`,
        status: "completed" as const,
        createdAt: 0,
        startedAt: NOW - 1000,
        endedAt: NOW - 1000 + (i + 1) * 10,
      })),
      { id: "f1", status: "failed" as const, createdAt: 0, endedAt: NOW - 5 },
      { id: "old", status: "failed" as const, createdAt: 0, endedAt: NOW - 25 * 3_600_000 },
      { id: "q", status: "queued" as const, createdAt: NOW },
    ];
    const stats = summarizeRuns(runs, NOW);
    assert.deepEqual(stats.counts, { completed: 19, failed: 2, queued: 1 });
    assert.equal(stats.scanned, 22);
    assert.equal(stats.ended24h, 20);
    assert.equal(stats.failureRate, 1 / 20);
    assert.equal(stats.p50Ms, 100);
    assert.equal(stats.p95Ms, 190);
    assert.deepEqual(summarizeRuns([], NOW), { counts: {}, scanned: 0, ended24h: 0 });
  });

  test("nearest-rank percentiles, and the next cron tick in the trigger's time zone", () => {
    assert.equal(percentile([5], 0.95), 5);
    assert.equal(percentile([1, 2, 3, 4], 0.5), 2);
    const at = Date.UTC(2025, 0, 1, 11, 0, 0);
    assert.equal(nextCronTick([{ cron: "0 3 * * *" }], at), Date.UTC(2025, 0, 2, 3, 0, 0));
    // 13:00 in Paris is 12:00 UTC in January: sooner than 23:00 UTC.
    assert.equal(
      nextCronTick([{ cron: "TZ=Europe/Paris 0 13 * * *" }, { cron: "0 23 * * *" }], at),
      Date.UTC(2025, 0, 1, 12, 0, 0),
    );
    assert.equal(nextCronTick([{ event: "app/x" } as { cron?: string }], at), undefined);
  });
});

describe("bulk requests", () => {
  test("each kind with its fields, bounded by when it was asked", () => {
    assert.deepEqual(parseBulkRequest({ kind: "replay", q: "clerk/user.*", since: "2025-01-01T00:00:00Z" }, 99), {
      kind: "replay",
      q: "clerk/user.*",
      since: Date.parse("2025-01-01T00:00:00Z"),
      until: 99,
    });
    assert.deepEqual(parseBulkRequest({ kind: "retry", functionId: "f", since: 5 }, 99), {
      kind: "retry",
      functionId: "f",
      since: 5,
      until: 99,
    });
    assert.deepEqual(parseBulkRequest({ kind: "cancel", functionId: "f", if: "event.data.plan == 'free'" }, 99), {
      kind: "cancel",
      functionId: "f",
      if: "event.data.plan == 'free'",
      until: 99,
    });
    assert.match(
      describeBulkRequest(parseBulkRequest({ kind: "retry", functionId: "f", since: 0 }, 1)),
      /^retry failed runs of f since 1970-01-01T00:00:00.000Z$/,
    );
    assert.equal(BULK_MAX, 10_000);
  });

  test("a wrong request is a 400 naming the field", () => {
    for (const [body, message] of [
      [{ kind: "retry", since: 1 }, /functionId/],
      [{ kind: "replay" }, /since/],
      [{ kind: "delete", functionId: "f" }, /kind/],
      [{ kind: "retry", functionId: "f", since: "yesterday" }, /neither epoch milliseconds nor an ISO date/],
      [{ kind: "cancel", functionId: "f", if: "event.data ==" }, /if: invalid expression/],
      [{ kind: "retry", functionId: "f", since: 1, extra: true }, /extra/],
    ] as const) {
      assert.throws(
        () => parseBulkRequest(body, 1),
        (error: unknown) =>
          error instanceof BridgeError && error.code === "event_invalid" && message.test(error.message),
        JSON.stringify(body),
      );
    }
  });
});

describe("the delivery log's records", () => {
  test("a refusal keeps the size and hash of the body, and the payload only when verified and refused by its template", () => {
    const body = Buffer.from('{"type":"user.created"}');
    const headers = { "svix-id": "msg_1", "content-length": String(body.length) };
    const { sha256, ...unverified } = describeRejection(
      new BridgeError("signature_invalid", "no match"),
      { headers, body },
      "clerk",
    );
    assert.deepEqual(unverified, {
      source: "clerk",
      svixId: "msg_1",
      outcome: "signature_invalid",
      status: 401,
      error: "no match",
      bytes: 23,
    });
    assert.equal(sha256, createHash("sha256").update(body).digest("hex"));
    const verified = { id: "msg_1", timestamp: 1700000000, body: body.toString() } as VerifiedWebhook;
    const refused = describeRejection(new BridgeError("transform_failed", "bug"), { headers, body }, "clerk", verified);
    assert.deepEqual(refused.payload, {
      source: "clerk",
      svixId: "msg_1",
      svixTimestamp: 1700000000,
      body: '{"type":"user.created"}',
    });
    assert.equal(
      describeRejection(new BridgeError("internal", "x"), { headers, body }, "clerk", verified).payload,
      undefined,
    );
    const unread = describeRejection(
      { type: "entity.too.large" },
      { headers: { "content-length": "2000000", "webhook-id": "x".repeat(300) }, body: undefined },
      "clerk",
    );
    assert.deepEqual(
      { outcome: unread.outcome, status: unread.status, bytes: unread.bytes, idLength: unread.svixId?.length },
      { outcome: "payload_too_large", status: 413, bytes: 2_000_000, idLength: 256 },
    );
  });

  test("filters by source and by outcome, `rejected` meaning any refusal", () => {
    const record = { id: "1-0", at: 1, source: "clerk", outcome: "signature_invalid", status: 401 };
    assert.equal(matchesDelivery(record, {}), true);
    assert.equal(matchesDelivery(record, { source: "shop" }), false);
    assert.equal(matchesDelivery(record, { outcome: "rejected" }), true);
    assert.equal(matchesDelivery({ ...record, outcome: "redelivered", status: 200 }, { outcome: "rejected" }), false);
    assert.equal(matchesDelivery(record, { source: "clerk", outcome: "signature_invalid" }), true);
  });
});
