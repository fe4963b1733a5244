import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { brotliCompressSync, deflateSync, gzipSync } from "node:zlib";
import request from "supertest";
import { acceptEvents } from "../../src/events/accept-events.ts";
import { isBridgeError } from "../../src/errors.ts";
import { MAX_TS_AHEAD_MS } from "../../src/events/event-schema.ts";
import { MAX_JSON_DEPTH } from "../../src/util/parse-json.ts";
import type { Transform } from "../../src/transforms/transform-types.ts";
import { signFixture } from "../helpers/sign-fixture.ts";
import { startWholeBridge, type WholeBridge } from "../helpers/whole-bridge.ts";

const ADMIN_TOKEN = "intake-errors-admin-token-0123";
const ACME_SECRET = `whsec_${Buffer.from("acme-intake-errors").toString("base64")}`;
/** Passes the payload through as the event's data, with the `ts` it names. */
const acme: Transform = (payload) => {
  const { ts, data } = payload as { ts?: number; data?: Record<string, unknown> };
  return { name: "acme/thing", data: data ?? {}, ...(ts === undefined ? {} : { ts }) };
};

/** A template that builds what no parser would let in: data nested 20,000 levels deep. */
const deep: Transform = () => {
  let data: Record<string, unknown> = {};
  for (let i = 0; i < 20_000; i++) data = { next: data };
  return { name: "deep/thing", data };
};

/** `{"name": ..., "data": {"x": <depth levels of arrays>}}`: data itself is level 2. */
function nested(depth: number, name = "app/deep"): string {
  return `{"name":"${name}","data":{"x":${"[".repeat(depth - 2)}${"]".repeat(depth - 2)}}}`;
}

/** A POST with raw bytes, as supertest would JSON-encode a Buffer. */
async function postRaw(t: WholeBridge, path: string, headers: Record<string, string>, body: Buffer | string) {
  const response = await fetch(`${t.base}${path}`, {
    method: "POST",
    headers,
    body: typeof body === "string" ? body : new Uint8Array(body),
  });
  return { status: response.status, body: (await response.json()) as { error?: { code: string }; ids?: string[] } };
}

async function storedCount(t: WholeBridge): Promise<number> {
  return await t.services.queues.events.getJobCountByTypes("waiting", "active", "delayed", "completed", "failed");
}

describe("intake errors are reported as what they are", () => {
  let t: WholeBridge;
  before(async () => {
    t = await startWholeBridge({
      env: { ADMIN_TOKEN, ACME_WEBHOOK_SECRET: ACME_SECRET, DEEP_WEBHOOK_SECRET: ACME_SECRET },
      transforms: new Map([
        ["acme", acme],
        ["deep", deep],
      ]),
      captureLogs: true,
    });
  });
  after(() => t.close());

  const routes = {
    "the Event API": (body: string) => request(t.app).post("/e/k").set("content-type", "application/json").send(body),
    "the operator API": (body: string) =>
      request(t.app)
        .post("/api/events")
        .set("authorization", `Bearer ${ADMIN_TOKEN}`)
        .set("content-type", "application/json")
        .send(body),
    "a signed webhook": (body: string) =>
      request(t.app)
        .post("/webhooks/acme")
        .set(signFixture(body, { secret: ACME_SECRET }).headers)
        .send(body),
  };

  for (const [route, post] of Object.entries(routes)) {
    test(`${route}: JSON nested 5,000 levels deep is 400 body_malformed, ${MAX_JSON_DEPTH} levels is accepted`, async () => {
      const before = await storedCount(t);
      for (const depth of [MAX_JSON_DEPTH + 1, 5000, 100_000]) {
        const response = await post(nested(depth));
        assert.equal(response.status, 400, `${depth} levels: ${response.text}`);
        assert.equal(response.body.error.code, "body_malformed");
      }
      assert.equal(await storedCount(t), before);
      // Brackets inside strings are text, not nesting.
      const deepLooking = await post(`{"name":"app/deep","data":{"text":"${"[{".repeat(5000)}\\"]]"}}`);
      assert.ok(deepLooking.status === 200 || deepLooking.status === 201, deepLooking.text);
      const deepest = await post(nested(MAX_JSON_DEPTH));
      assert.ok(deepest.status === 200 || deepest.status === 201, deepest.text);
    });
  }

  test("a ts more than a year ahead is 400 event_invalid from the Event API, 422 from a template", async () => {
    for (const ts of [2 ** 53, Number.MAX_SAFE_INTEGER, Date.now() + MAX_TS_AHEAD_MS + 60_000]) {
      const api = await request(t.app).post("/e/k").send({ name: "app/future", ts }).expect(400);
      assert.equal(api.body.error.code, "event_invalid");
      assert.match(api.body.error.message, /^ts: /);
      const body = JSON.stringify({ ts });
      const webhook = await request(t.app)
        .post("/webhooks/acme")
        .set(signFixture(body, { secret: ACME_SECRET }).headers)
        .send(body)
        .expect(422);
      assert.equal(webhook.body.error.code, "transform_failed");
    }
    await request(t.app)
      .post("/e/k")
      .send({ name: "app/future", ts: Date.now() + 24 * 3600_000 })
      .expect(200);
  });

  const encodings: Array<[string, string, Buffer | string]> = [
    ["gzip", "not gzip", "not gzip at all"],
    ["gzip", "truncated", gzipSync(JSON.stringify({ name: "app/x" })).subarray(0, 12)],
    ["deflate", "not deflate", "x"],
    ["br", "not brotli", "not brotli"],
  ];
  for (const [encoding, what, body] of encodings) {
    test(`a ${encoding} body that is ${what} is 400 body_malformed on every JSON route`, async () => {
      const headers = { "content-type": "application/json", "content-encoding": encoding };
      const before = await storedCount(t);
      for (const [path, extra] of [
        ["/e/k", {}],
        ["/api/events", { authorization: `Bearer ${ADMIN_TOKEN}` }],
        ["/webhooks/acme", signFixture("{}", { secret: ACME_SECRET }).headers],
      ] as const) {
        const response = await postRaw(t, path, { ...extra, ...headers }, body);
        assert.equal(response.status, 400, `${path}: ${JSON.stringify(response.body)}`);
        assert.equal(response.body.error?.code, "body_malformed");
      }
      assert.equal(await storedCount(t), before);
    });
  }

  test("a well-formed compressed body is accepted", async () => {
    const json = JSON.stringify({ name: "app/compressed", data: {} });
    for (const [encoding, body] of [
      ["gzip", gzipSync(json)],
      ["deflate", deflateSync(json)],
      ["br", brotliCompressSync(json)],
    ] as const) {
      const response = await postRaw(
        t,
        "/e/k",
        { "content-type": "application/json", "content-encoding": encoding },
        body,
      );
      assert.equal(response.status, 200, `${encoding}: ${JSON.stringify(response.body)}`);
    }
  });

  test("a broken %-escape in the URL is 400 url_malformed, not 500", async () => {
    const response = await request(t.app).post("/e/%ZZ").send({ name: "app/x" }).expect(400);
    assert.equal(response.body.error.code, "url_malformed");
    await request(t.app).get("/api/events/%E0%A4%A").set("authorization", `Bearer ${ADMIN_TOKEN}`).expect(400);
  });

  test("an event that cannot be stored for another reason than Redis is 500 internal, logged with its cause, never 503", async () => {
    // Past the parser's bound only code can build this; BullMQ's add overflows the stack on it.
    let data: unknown = {};
    for (let i = 0; i < 20_000; i++) data = { next: data };
    const error = await acceptEvents(
      t.services.accept,
      [{ name: "app/too-deep", data: data as Record<string, unknown> }],
      "test",
    ).then(
      () => assert.fail("stored"),
      (thrown: unknown) => thrown,
    );
    assert.ok(isBridgeError(error));
    assert.equal(error.code, "internal");
    assert.ok(error.cause instanceof RangeError, `cause: ${String(error.cause)}`);
    await request(t.app).get("/readyz").expect(200);
  });

  test("a template whose event cannot be stored answers 500 internal (Svix must not retry it for a day), logged with its cause", async () => {
    const body = "{}";
    const response = await request(t.app)
      .post("/webhooks/deep")
      .set(signFixture(body, { secret: ACME_SECRET }).headers)
      .send(body)
      .expect(500);
    assert.equal(response.body.error.code, "internal");
    const line = t.logs.find((entry) => entry.msg === "request failed" && entry.url === "/webhooks/deep");
    assert.ok(line, "the failure is logged");
    assert.equal(line.level, 50);
    assert.match(String((line.err as { message?: string }).message), /call stack/);
  });
});

describe("the Event API key never reaches a log line or an error message", () => {
  let t: WholeBridge;
  const KEY = "k1-this-is-the-secret-event-key";
  before(async () => {
    t = await startWholeBridge({ env: { EVENT_KEYS: KEY }, captureLogs: true });
  });
  after(() => t.close());

  test("rejected, malformed, accepted and unrouted requests all log /e/[redacted]", async () => {
    const guess = "k1-a-wrong-guess-of-the-key";
    await request(t.app).post(`/e/${guess}`).send({ name: "app/x" }).expect(401);
    await request(t.app).post(`/e/${KEY}`).set("content-type", "application/json").send("{nope").expect(400);
    await request(t.app).post(`/e/${KEY}?token=x`).set("content-type", "text/plain").send("hi").expect(415);
    await request(t.app).post(`/e/${KEY}`).send({ name: "app/x" }).expect(200);
    const unrouted = await request(t.app).get(`/e/${KEY}`).expect(404);
    assert.ok(!unrouted.text.includes(KEY));
    const text = JSON.stringify(t.logs);
    assert.ok(!text.includes(KEY), "the key is logged");
    assert.ok(!text.includes(guess), "a wrong key is logged");
    assert.ok(t.logs.some((line) => line.url === "/e/[redacted]"));
    const metrics = await request(t.app).get("/metrics").expect(200);
    assert.ok(!metrics.text.includes(KEY) && !metrics.text.includes(guess));
  });

  test("however the path is spelt: doubled slashes, %-escapes, dot segments, letter case", async () => {
    const spellings = [
      "//e/",
      "///e/",
      "/%65/",
      "/%45/",
      "/%2565/",
      "/./e/",
      "/x/../e/",
      "/%2e/e/",
      "/e//",
      "/E/",
      "/e/%2F",
      "/%2F/e/",
    ];
    for (const [index, spelling] of spellings.entries()) {
      const secret = `k1-spelt-secret-${index}-${"z".repeat(12)}`;
      for (const method of ["get", "post"] as const) {
        const response = await request(t.app)
          [method](`${spelling}${secret}`)
          .set("content-type", "application/json")
          .send("{}");
        assert.ok(!response.text.includes(secret), `${method} ${spelling}: the answer echoes the key`);
      }
      const text = JSON.stringify(t.logs);
      assert.ok(!text.includes(secret), `${spelling}<key> put the key in a log line`);
    }
  });
});
