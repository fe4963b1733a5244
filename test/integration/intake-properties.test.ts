import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import fc from "fast-check";
import request from "supertest";
import { clerkFixture, signFixture } from "../helpers/sign-fixture.ts";
import { makeTestApp, type TestApp } from "../helpers/test-app.ts";

/**
 * Whatever arrives, the intake answers 2xx (and stored the event) or 4xx (and stored nothing);
 * never a 5xx while Redis is up.
 */
const RUNS = Number(process.env.PROPERTY_RUNS ?? 150);

async function storedCount(t: TestApp): Promise<number> {
  const counts = await t.eventsQueue.getJobCounts("waiting", "delayed", "active", "completed");
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}

// The headers a delivery depends on (the webhook-* aliases only count when svix-* are absent).
const headerName = fc.constantFrom("svix-id", "svix-timestamp", "svix-signature", "content-type");
const junk = fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.constantFrom("", "v1,", "v1,AAAA", "0", "-1", "99999999999999999999", "application/json; charset=utf-16"));

describe("intake under arbitrary input", () => {
  let t: TestApp;
  before(async () => {
    t = await makeTestApp({ MAX_BODY_BYTES: "65536" });
  });
  after(() => t.close());

  test("a signed Clerk delivery with one header or the body corrupted is answered 4xx and stores nothing", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({ corrupt: fc.constantFrom("header", "body"), header: headerName, value: junk, body: fc.oneof(fc.string(), fc.json()) }),
        async ({ corrupt, header, value, body }) => {
          const delivery = signFixture(clerkFixture("user.updated"));
          const headers = { ...delivery.headers };
          // Header values must be latin1 for the HTTP client; other bytes are a client-side error, not ours.
          if (corrupt === "header") headers[header] = value.replace(/[^\x20-\x7e]/g, "");
          const sent = corrupt === "body" ? body : delivery.body;
          if (corrupt === "header" && headers[header] === delivery.headers[header]) return;
          if (corrupt === "body" && sent === delivery.body) return;
          const before = await storedCount(t);
          const response = await request(t.app).post("/webhooks/clerk").set(headers).send(sent);
          assert.ok(response.status >= 400 && response.status < 500, `answered ${response.status}: ${response.text}`);
          assert.equal(typeof response.body?.error?.code, "string");
          assert.equal(await storedCount(t), before);
        },
      ),
      { numRuns: RUNS },
    );
  });

  test("any JSON sent to the Event API is either stored whole (200) or rejected whole (4xx)", async () => {
    const eventLike = fc.record(
      {
        id: fc.oneof(fc.string({ minLength: 1, maxLength: 40 }), fc.integer()),
        name: fc.oneof(fc.string({ maxLength: 30 }), fc.constant("app/ok"), fc.integer()),
        data: fc.oneof(fc.dictionary(fc.string(), fc.jsonValue()), fc.jsonValue()),
        ts: fc.oneof(fc.nat(), fc.double(), fc.string()),
        user: fc.jsonValue(),
        v: fc.oneof(fc.string(), fc.integer()),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof(eventLike, fc.array(eventLike, { maxLength: 4 }), fc.jsonValue()), async (body) => {
        const before = await storedCount(t);
        const response = await request(t.app).post("/e/any").set("content-type", "application/json").send(JSON.stringify(body));
        assert.ok(response.status === 200 || (response.status >= 400 && response.status < 500), `answered ${response.status}: ${response.text}`);
        const after = await storedCount(t);
        if (response.status === 200) {
          assert.ok(after - before <= response.body.ids.length, "no more stored than acknowledged");
          for (const id of response.body.ids as string[]) assert.equal(typeof id, "string");
        } else {
          assert.equal(after, before, "a rejected request stores nothing");
        }
      }),
      { numRuns: RUNS },
    );
  });
});
