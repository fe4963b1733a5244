import assert from "node:assert/strict";
import type { Request } from "express";
import { describe, test } from "node:test";
import { createAdminAuth } from "../../src/dashboard/admin-auth.ts";
import { createLiveFeed, type LiveMessage } from "../../src/dashboard/live-feed.ts";
import { parseEventQuery, parseRunQuery } from "../../src/dashboard/query-params.ts";

const requestWith = (headers: Record<string, string>, remoteAddress = "127.0.0.1") =>
  ({ headers: { host: "127.0.0.1:8288", ...headers }, socket: { remoteAddress } }) as unknown as Request;

describe("admin auth without ADMIN_TOKEN", () => {
  test("only loopback clients are allowed, and never through a proxy", async () => {
    const auth = createAdminAuth({ adminToken: undefined });
    assert.equal(auth.enabled, false);
    assert.equal(await auth.identify(requestWith({})), "loopback");
    assert.equal(await auth.identify(requestWith({}, "::1")), "loopback");
    assert.equal(await auth.identify(requestWith({}, "::ffff:127.0.0.1")), "loopback");
    assert.equal(await auth.identify(requestWith({}, "10.0.0.7")), undefined);
    assert.equal(await auth.identify(requestWith({}, "::ffff:192.168.1.20")), undefined);
    assert.equal(
      await auth.identify(requestWith({ "x-forwarded-for": "127.0.0.1" }, "127.0.0.1")),
      undefined,
      "a local proxy forwards remote clients",
    );
    assert.equal(await auth.identify(requestWith({ forwarded: "for=127.0.0.1" }, "127.0.0.1")), undefined);
    assert.equal(
      await auth.identify(requestWith({ authorization: "Bearer anything-at-all" }, "10.0.0.7")),
      undefined,
      "no token means no token can match",
    );
    // 0.0.0.0 and [::], where the bridge listens by default, are this machine too (issue 20).
    for (const host of [
      "localhost",
      "localhost:8288",
      "app.localhost:3000",
      "127.0.0.1",
      "[::1]:8288",
      "0.0.0.0:8288",
      "0.0.0.0",
      "[::]:8288",
    ]) {
      assert.equal(await auth.identify(requestWith({ host })), "loopback", host);
    }
    // A page whose own host name resolves to 127.0.0.1 (DNS rebinding) is not a local client.
    for (const host of [
      "attacker.example",
      "attacker.example:8288",
      "127.0.0.1.attacker.example",
      "localhost.attacker.example",
      "0.0.0.0.attacker.example",
      "",
      "[::2]:8288",
    ]) {
      assert.equal(await auth.identify(requestWith({ host })), undefined, host);
    }
    assert.equal(
      await auth.identify(requestWith({ host: "0.0.0.0:8288" }, "10.0.0.7")),
      undefined,
      "the name alone makes no client local",
    );
  });
});

describe("query parameters", () => {
  test("event queries take epoch milliseconds or ISO dates, with a default limit", () => {
    assert.deepEqual(
      parseEventQuery({ name: "clerk/user.created", since: "1700000000000", until: "2026-01-01T00:00:00Z" }),
      {
        name: "clerk/user.created",
        since: 1700000000000,
        until: Date.parse("2026-01-01T00:00:00Z"),
        limit: 50,
      },
    );
    assert.deepEqual(parseEventQuery({ name: "", limit: ["5", "7"] }), { limit: 5 });
  });

  test("a bad time or limit is a 400 body_malformed naming the field", () => {
    assert.throws(() => parseEventQuery({ since: "last tuesday" }), {
      code: "body_malformed",
      message: /since: "last tuesday" is neither/,
    });
    assert.throws(() => parseEventQuery({ limit: "1000" }), { code: "body_malformed", message: /limit/ });
  });

  test("run queries map `function` to functionId", () => {
    assert.deepEqual(parseRunQuery({ status: "failed", function: "user-sync" }), {
      status: "failed",
      functionId: "user-sync",
      limit: 50,
    });
  });
});

describe("live feed", () => {
  const message: LiveMessage = { type: "run", runId: "r1", change: "completed" };

  test("starts its source with the first listener and delivers to every listener", async () => {
    let starts = 0;
    const feed = createLiveFeed({ start: () => void starts++, stop: async () => {} });
    const seen: Array<LiveMessage | "close"> = [];
    feed.publish(message);
    assert.equal(starts, 0, "nobody watches yet");
    const off = feed.subscribe((m) => seen.push(m));
    feed.subscribe((m) => seen.push(m));
    assert.equal(starts, 1);
    feed.publish(message);
    assert.deepEqual(seen, [message, message]);
    off();
    assert.equal(feed.size, 1);
    await feed.close();
  });

  test("close ends every stream and stops the source", async () => {
    let stops = 0;
    const feed = createLiveFeed({ start: () => {}, stop: async () => void stops++ });
    const seen: Array<LiveMessage | "close"> = [];
    feed.subscribe((m) => seen.push(m));
    await feed.close();
    assert.deepEqual(seen, ["close"]);
    assert.equal(stops, 1);
    assert.equal(feed.size, 0);
  });
});
