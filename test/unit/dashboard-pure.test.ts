import assert from "node:assert/strict";
import type { Request } from "express";
import { describe, test } from "node:test";
import { createAdminAuth, SESSION_COOKIE } from "../../src/dashboard/admin-auth.ts";
import { createLiveFeed, type LiveMessage } from "../../src/dashboard/live-feed.ts";
import { parseEventQuery, parseRunQuery } from "../../src/dashboard/query-params.ts";

const TOKEN = "0123456789abcdef-admin";
const requestWith = (headers: Record<string, string>, remoteAddress = "127.0.0.1") => ({ headers, socket: { remoteAddress } }) as unknown as Request;

describe("admin auth", () => {
  test("without ADMIN_TOKEN only loopback clients are allowed, and never through a proxy", () => {
    const auth = createAdminAuth(undefined);
    assert.equal(auth.enabled, false);
    assert.equal(auth.isAuthorized(requestWith({})), true);
    assert.equal(auth.isAuthorized(requestWith({}, "::1")), true);
    assert.equal(auth.isAuthorized(requestWith({}, "::ffff:127.0.0.1")), true);
    assert.equal(auth.isAuthorized(requestWith({}, "10.0.0.7")), false);
    assert.equal(auth.isAuthorized(requestWith({}, "::ffff:192.168.1.20")), false);
    assert.equal(auth.isAuthorized(requestWith({ "x-forwarded-for": "127.0.0.1" }, "127.0.0.1")), false, "a local proxy forwards remote clients");
    assert.equal(auth.isAuthorized(requestWith({ forwarded: "for=127.0.0.1" }, "127.0.0.1")), false);
    assert.equal(auth.matches(""), false);
  });

  test("accepts the Bearer token and the session cookie, and nothing else", () => {
    const auth = createAdminAuth(TOKEN);
    assert.equal(auth.isAuthorized(requestWith({ authorization: `Bearer ${TOKEN}` })), true);
    assert.equal(auth.isAuthorized(requestWith({ authorization: `bearer  ${TOKEN}` })), true);
    assert.equal(auth.isAuthorized(requestWith({ authorization: `Bearer ${TOKEN}x` })), false);
    assert.equal(auth.isAuthorized(requestWith({ authorization: TOKEN })), false);
    assert.equal(auth.isAuthorized(requestWith({})), false);
    const session = auth.sessionCookie(false).split(";")[0]!;
    assert.equal(auth.isAuthorized(requestWith({ cookie: `theme=dark; ${session}` })), true);
    assert.equal(auth.isAuthorized(requestWith({ cookie: `${SESSION_COOKIE}=${TOKEN}` })), false, "the raw token is not a session");
  });

  test("a wrong Bearer token is refused even with a valid session cookie", () => {
    const auth = createAdminAuth(TOKEN);
    const session = auth.sessionCookie(false).split(";")[0]!;
    assert.equal(auth.isAuthorized(requestWith({ authorization: "Bearer nope", cookie: session })), false);
  });

  test("the session cookie is HttpOnly and SameSite=Strict, Secure behind TLS, and changes with the token", () => {
    const cookie = createAdminAuth(TOKEN).sessionCookie(true);
    assert.match(cookie, /HttpOnly; SameSite=Strict; Max-Age=\d+; Secure$/);
    assert.doesNotMatch(cookie, new RegExp(TOKEN));
    assert.notEqual(createAdminAuth(`${TOKEN}-rotated`).sessionCookie(true), cookie);
  });

  test("a malformed session cookie is refused, not an error", () => {
    const auth = createAdminAuth(TOKEN);
    assert.equal(auth.isAuthorized(requestWith({ cookie: `${SESSION_COOKIE}=%E0%A4%A` })), false);
    assert.equal(auth.isAuthorized(requestWith({ cookie: `${SESSION_COOKIE}` })), false);
  });
});

describe("query parameters", () => {
  test("event queries take epoch milliseconds or ISO dates, with a default limit", () => {
    assert.deepEqual(parseEventQuery({ name: "clerk/user.created", since: "1700000000000", until: "2026-01-01T00:00:00Z" }), {
      name: "clerk/user.created",
      since: 1700000000000,
      until: Date.parse("2026-01-01T00:00:00Z"),
      limit: 50,
    });
    assert.deepEqual(parseEventQuery({ name: "", limit: ["5", "7"] }), { limit: 5 });
  });

  test("a bad time or limit is a 400 body_malformed naming the field", () => {
    assert.throws(() => parseEventQuery({ since: "last tuesday" }), { code: "body_malformed", message: /since: "last tuesday" is neither/ });
    assert.throws(() => parseEventQuery({ limit: "1000" }), { code: "body_malformed", message: /limit/ });
  });

  test("run queries map `function` to functionId", () => {
    assert.deepEqual(parseRunQuery({ status: "failed", function: "user-sync" }), { status: "failed", functionId: "user-sync", limit: 50 });
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
