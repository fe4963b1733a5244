import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import request from "supertest";
import { bridgeKeys } from "../../src/redis/keys.ts";
import { SESSION_MAX_AGE_MS } from "../../src/dashboard/sessions.ts";
import { ADMIN_FAILURES, createFailureLimiter, EVENT_KEY_FAILURES } from "../../src/http/failure-limiter.ts";
import { createCommandClient } from "../../src/redis/create-redis.ts";
import { makeOperatorApp, type OperatorApp } from "../helpers/operator-app.ts";
import { perSuite } from "../helpers/per-suite.ts";

const ADMIN_TOKEN = "sessions-admin-token-0123456789";
const EVENT_KEY = "sessions-event-key-0123456789abc";

/** Signs in with the form, as a browser on the dashboard's own page does; answers the cookie pair. */
async function signIn(t: OperatorApp, headers: Record<string, string> = {}): Promise<string> {
  const response = await request(t.app)
    .post("/login")
    .set(headers)
    .type("form")
    .send({ token: ADMIN_TOKEN })
    .expect(303);
  return String(response.headers["set-cookie"]).split(";")[0]!;
}

const sameOrigin = (host = "127.0.0.1") => ({ origin: `http://${host}`, host });

describe("dashboard sessions", () => {
  const t = perSuite(
    "the operator app",
    () => makeOperatorApp({ ADMIN_TOKEN }),
    (started) => started.close(),
  );

  test("each sign-in gets a random session id, stored in Redis only as a digest", async () => {
    const first = await signIn(t);
    const second = await signIn(t);
    assert.notEqual(first, second);
    const id = first.split("=")[1]!;
    assert.match(id, /^[A-Za-z0-9_-]{43}$/);
    const keys = await t.redis.keys(`{${t.prefix}}:*`);
    assert.ok(keys.some((key) => key.includes(":session:")));
    for (const key of keys) {
      assert.ok(!key.includes(id), `${key} holds the session id`);
      if ((await t.redis.type(key)) === "string") assert.ok(!String(await t.redis.get(key)).includes(id));
    }
    await request(t.app).get("/api/events").set("cookie", first).expect(200);
    await request(t.app).get("/api/events").set("cookie", second).expect(200);
  });

  test("signing out revokes that browser's session and no other", async () => {
    const mine = await signIn(t);
    const theirs = await signIn(t);
    const out = await request(t.app).post("/logout").set(sameOrigin()).set("cookie", mine).expect(303);
    assert.match(String(out.headers["set-cookie"]), /bridge_session=; .*Max-Age=0/);
    // The old cookie, replayed, is dead: it was revoked in Redis, not only cleared in the browser.
    await request(t.app).get("/api/events").set("cookie", mine).expect(401);
    await request(t.app).get("/").set("cookie", mine).expect(401);
    await request(t.app).get("/api/events").set("cookie", theirs).expect(200);
  });

  test("sign-out must be a POST from the dashboard's own origin", async () => {
    const session = await signIn(t);
    await request(t.app).get("/logout").set("cookie", session).expect(404);
    const refusals: Array<Record<string, string>> = [
      { origin: "https://evil.example", host: "127.0.0.1" },
      { origin: "null", host: "127.0.0.1" },
      { "sec-fetch-site": "cross-site" },
      { "sec-fetch-site": "same-site" },
      {},
    ];
    for (const headers of refusals) {
      const response = await request(t.app).post("/logout").set(headers).set("cookie", session).expect(403);
      assert.equal(response.body.error.code, "cross_site_request", JSON.stringify(headers));
    }
    await request(t.app).get("/api/events").set("cookie", session).expect(200);
    await request(t.app).post("/logout").set("sec-fetch-site", "same-origin").set("cookie", session).expect(303);
    await request(t.app).get("/api/events").set("cookie", session).expect(401);
  });

  test("a sign-in form posted from another site is refused", async () => {
    const response = await request(t.app)
      .post("/login")
      .set("origin", "https://evil.example")
      .type("form")
      .send({ token: ADMIN_TOKEN })
      .expect(403);
    assert.equal(response.headers["set-cookie"], undefined);
  });

  test("the cookie is HttpOnly and SameSite=Strict, and Secure when the page came over https", async () => {
    const plain = await request(t.app).post("/login").type("form").send({ token: ADMIN_TOKEN }).expect(303);
    assert.match(String(plain.headers["set-cookie"]), /HttpOnly/);
    assert.match(String(plain.headers["set-cookie"]), /SameSite=Strict/);
    assert.doesNotMatch(String(plain.headers["set-cookie"]), /Secure/);
    const tls = await request(t.app)
      .post("/login")
      .set({ origin: "https://127.0.0.1", host: "127.0.0.1" })
      .type("form")
      .send({ token: ADMIN_TOKEN })
      .expect(303);
    assert.match(String(tls.headers["set-cookie"]), /; Secure/);
    // X-Forwarded-Proto is a claim anyone can make unless TRUST_PROXY trusts the sender.
    const claimed = await request(t.app)
      .post("/login")
      .set("x-forwarded-proto", "https")
      .type("form")
      .send({ token: ADMIN_TOKEN })
      .expect(303);
    assert.doesNotMatch(String(claimed.headers["set-cookie"]), /Secure/);
  });

  test("a session ends after its maximum age, and when the ADMIN_TOKEN changes", async () => {
    const session = await signIn(t);
    const key = bridgeKeys(t.prefix).session(session.split("=")[1]!);
    const stored = JSON.parse(String(await t.redis.get(key)));
    await t.redis.set(key, JSON.stringify({ ...stored, createdAt: Date.now() - SESSION_MAX_AGE_MS - 1000 }), "KEEPTTL");
    await request(t.app).get("/api/events").set("cookie", session).expect(401);
    assert.equal(await t.redis.exists(key), 0, "an expired session is deleted");

    const current = await signIn(t);
    const rotated = await makeOperatorApp({ ADMIN_TOKEN: `${ADMIN_TOKEN}-rotated`, REDIS_PREFIX: t.prefix });
    try {
      await request(rotated.app).get("/api/events").set("cookie", current).expect(401);
    } finally {
      await rotated.services.close();
    }
  });

  test("a cookie shown to a bridge with another ADMIN_TOKEN on the same Redis is refused there and ends nothing", async () => {
    const session = await signIn(t);
    const other = await makeOperatorApp({ ADMIN_TOKEN: `${ADMIN_TOKEN}-other-bridge`, REDIS_PREFIX: t.prefix });
    try {
      await request(other.app).get("/api/events").set("cookie", session).expect(401);
      await request(other.app).post("/logout").set(sameOrigin()).set("cookie", session).expect(303);
    } finally {
      await other.services.close();
    }
    await request(t.app).get("/api/events").set("cookie", session).expect(200);
  });

  test("every state-changing operator route refuses another site's request, DELETE included", async () => {
    const session = await signIn(t);
    const crossSite = [
      { origin: "https://evil.example", host: "127.0.0.1" },
      { "sec-fetch-site": "cross-site" },
      { "sec-fetch-site": "same-site" },
    ];
    for (const headers of crossSite) {
      for (const [method, path] of [
        ["delete", "/api/users/user_cross_site"],
        ["post", "/api/runs/r-x/cancel"],
        ["put", "/api/events"],
        ["patch", "/api/events"],
      ] as const) {
        const response = await request(t.app)[method](path).set(headers).set("cookie", session);
        assert.equal(response.status, 403, `${method} ${path} ${JSON.stringify(headers)}: ${response.status}`);
        assert.equal(response.body.error.code, "cross_site_request");
      }
    }
    const audit = await request(t.app).get("/api/audit").set("cookie", session).expect(200);
    assert.ok(!audit.body.entries.some((entry: { action: string }) => entry.action === "erase"), "nothing was erased");
    // From the dashboard's own page it goes through.
    const own = await request(t.app).delete("/api/users/user_cross_site").set(sameOrigin()).set("cookie", session);
    assert.notEqual(own.status, 403, own.text);
  });
});

describe("failed attempts are limited per client address", () => {
  let t: OperatorApp;
  before(async () => {
    // Requests arrive from 127.0.0.1; with TRUST_PROXY=loopback each X-Forwarded-For is a client.
    t = await makeOperatorApp({ ADMIN_TOKEN, EVENT_KEYS: EVENT_KEY, TRUST_PROXY: "loopback" });
  });
  after(() => t.close());

  test(`the ${ADMIN_FAILURES.failures}th wrong token at /login or as a Bearer token blocks the address: 429 with Retry-After, even with the right token`, async () => {
    const attacker = { "x-forwarded-for": "198.51.100.7" };
    for (let i = 0; i < ADMIN_FAILURES.failures - 1; i++) {
      const wrong =
        i % 2 === 0
          ? request(t.app)
              .post("/login")
              .set(attacker)
              .type("form")
              .send({ token: `wrong-${i}` })
          : request(t.app).get("/api/events").set(attacker).set("authorization", `Bearer wrong-${i}`);
      await wrong.expect(401);
    }
    const blocked = await request(t.app)
      .get("/api/events")
      .set(attacker)
      .set("authorization", "Bearer wrong-again")
      .expect(429);
    assert.equal(blocked.body.error.code, "too_many_requests");
    assert.ok(Number(blocked.headers["retry-after"]) > 0);
    await request(t.app).get("/api/events").set(attacker).set("authorization", `Bearer ${ADMIN_TOKEN}`).expect(429);
    const page = await request(t.app)
      .post("/login")
      .set(attacker)
      .type("form")
      .send({ token: ADMIN_TOKEN })
      .expect(429);
    assert.match(page.text, /Too many wrong tokens/);
    assert.ok(Number(page.headers["retry-after"]) > 0);
    // Another address is not affected, and an IPv6 neighbour in the same /64 is the same client.
    await request(t.app)
      .get("/api/events")
      .set("x-forwarded-for", "198.51.100.8")
      .set("authorization", `Bearer ${ADMIN_TOKEN}`)
      .expect(200);
  });

  test("an IPv6 client cannot escape the limit by changing addresses within its /64", async () => {
    for (let i = 0; i < ADMIN_FAILURES.failures - 1; i++) {
      await request(t.app)
        .get("/api/runs")
        .set("x-forwarded-for", `2001:db8:1:2::${(i + 1).toString(16)}`)
        .set("authorization", "Bearer nope")
        .expect(401);
    }
    await request(t.app)
      .get("/api/runs")
      .set("x-forwarded-for", "2001:db8:1:2:ffff::1")
      .set("authorization", "Bearer nope")
      .expect(429);
    await request(t.app)
      .get("/api/runs")
      .set("x-forwarded-for", "2001:db8:1:2:ffff::2")
      .set("authorization", `Bearer ${ADMIN_TOKEN}`)
      .expect(429);
    await request(t.app)
      .get("/api/runs")
      .set("x-forwarded-for", "2001:db8:1:3::1")
      .set("authorization", `Bearer ${ADMIN_TOKEN}`)
      .expect(200);
  });

  test(`the ${EVENT_KEY_FAILURES.failures}th wrong event key blocks the address: 429, even with a valid key`, async () => {
    const sender = { "x-forwarded-for": "203.0.113.50" };
    for (let i = 0; i < EVENT_KEY_FAILURES.failures - 1; i++) {
      await request(t.app).post(`/e/guess-${i}`).set(sender).send({ name: "app/x" }).expect(401);
    }
    const blocked = await request(t.app).post("/e/guess-again").set(sender).send({ name: "app/x" }).expect(429);
    assert.ok(Number(blocked.headers["retry-after"]) > 0);
    await request(t.app).post(`/e/${EVENT_KEY}`).set(sender).send({ name: "app/x" }).expect(429);
    await request(t.app)
      .post(`/e/${EVENT_KEY}`)
      .set("x-forwarded-for", "203.0.113.51")
      .send({ name: "app/x" })
      .expect(200);
  });

  test("requests without a token, and stale session cookies, are not counted", async () => {
    const browser = { "x-forwarded-for": "192.0.2.33" };
    for (let i = 0; i < ADMIN_FAILURES.failures * 2; i++) {
      await request(t.app).get("/api/events").set(browser).expect(401);
      await request(t.app)
        .get("/api/events")
        .set(browser)
        .set("cookie", `bridge_session=${"A".repeat(43)}`)
        .expect(401);
    }
    await request(t.app).get("/api/events").set(browser).set("authorization", `Bearer ${ADMIN_TOKEN}`).expect(200);
  });
});

describe("without TRUST_PROXY", () => {
  test("X-Forwarded-For is ignored: a client cannot pick a fresh address for each guess", async () => {
    const t = await makeOperatorApp({ ADMIN_TOKEN });
    try {
      for (let i = 0; i < ADMIN_FAILURES.failures - 1; i++) {
        await request(t.app)
          .get("/api/events")
          .set("x-forwarded-for", `198.51.100.${i}`)
          .set("authorization", "Bearer nope")
          .expect(401);
      }
      await request(t.app)
        .get("/api/events")
        .set("x-forwarded-for", "198.51.100.100")
        .set("authorization", "Bearer nope")
        .expect(429);
      await request(t.app)
        .get("/api/events")
        .set("x-forwarded-for", "198.51.100.200")
        .set("authorization", `Bearer ${ADMIN_TOKEN}`)
        .expect(429);
    } finally {
      await t.close();
    }
  });
});

describe("while Redis is unreachable", () => {
  test("failures are still counted, in this process's memory: neither open to brute force nor closed to operators", async () => {
    const down = createCommandClient("redis://127.0.0.1:1", { lazyConnect: true, retryStrategy: () => null });
    down.on("error", () => {});
    const limiter = createFailureLimiter(down, "{test}:rate-limit:down", {
      failures: 3,
      windowSeconds: 60,
      blockSeconds: 60,
    });
    try {
      assert.equal(await limiter.blockedFor("192.0.2.1"), 0, "an operator is not locked out");
      assert.equal(await limiter.recordFailure("192.0.2.1"), 0);
      assert.equal(await limiter.recordFailure("192.0.2.1"), 0);
      assert.ok((await limiter.recordFailure("192.0.2.1")) > 0, "the third failure blocks");
      assert.ok((await limiter.blockedFor("192.0.2.1")) > 0);
      assert.ok((await limiter.blockedFor("192.0.2.1", { local: true })) > 0);
      assert.equal(await limiter.blockedFor("192.0.2.2"), 0, "another address is not blocked");
    } finally {
      down.disconnect();
    }
  });
});
