import assert from "node:assert/strict";
import { describe, test } from "node:test";
import request from "supertest";
import { backfillEventId } from "../../src/backfill/backfill-event.ts";
import { eventJobId } from "../../src/queue/event-jobs.ts";
import { perSuite } from "../helpers/per-suite.ts";
import { clerkFixture, signFixture } from "../helpers/sign-fixture.ts";
import { signUp, startSignupHarness } from "../helpers/signup-harness.ts";
import { makeTestApp, testAppPerSuite } from "../helpers/test-app.ts";

const OPEN_KEY = "open-key-0123456789";
const OTHER_OPEN_KEY = "other-open-key-0123456789";
const TRUSTED_KEY = "trusted-key-0123456789";
const KEYS = { EVENT_KEYS: `${OPEN_KEY},${OTHER_OPEN_KEY},${TRUSTED_KEY}`, TRUSTED_EVENT_KEYS: TRUSTED_KEY };

/**
 * Issue 19, Medium 5: event ids were one namespace for every source, so an Event API key outside
 * TRUSTED_EVENT_KEYS could claim an id first and the genuine event, answered 200, was dropped.
 */
describe("ids an untrusted key names cannot pre-empt a trusted path's", () => {
  const t = testAppPerSuite(() => makeTestApp(KEYS));

  const stored = async (id: string) =>
    (await t.eventsQueue.getJob(eventJobId(id)))?.data as
      { name: string; source: string; data: Record<string, unknown> } | undefined;

  test("a svix-id claimed first by an untrusted key: the signed webhook is still stored under it", async () => {
    const delivery = signFixture(clerkFixture("user.created"));
    const svixId = delivery.headers["svix-id"] as string;
    const squat = await request(t.app)
      .post(`/e/${OPEN_KEY}`)
      .send({ id: svixId, name: "app/squat", data: { squatted: true } })
      .expect(200);
    assert.notEqual(squat.body.ids[0], svixId, "the untrusted key's id lives in its own namespace");
    assert.match(squat.body.ids[0], /^u~[A-Za-z0-9_-]{22}$/);
    const genuine = await request(t.app).post("/webhooks/clerk").set(delivery.headers).send(delivery.body).expect(200);
    assert.deepEqual(genuine.body.ids, [svixId]);
    const event = await stored(svixId);
    assert.equal(event?.name, "clerk/user.created");
    assert.equal(event?.source, "clerk");
    assert.equal((await stored(squat.body.ids[0]))?.name, "app/squat", "and the untrusted event is stored too, apart");
  });

  test("a backfill id (computable from a user id and updated_at) claimed first: the backfill is still stored", async () => {
    const id = backfillEventId({ id: "user_victim", updatedAt: 1_700_000_000_000 });
    await request(t.app).post(`/e/${OPEN_KEY}`).send({ id, name: "app/squat", data: {} }).expect(200);
    const backfill = await request(t.app)
      .post(`/e/${TRUSTED_KEY}`)
      .send({ id, name: "clerk/user.backfilled", data: { id: "user_victim" } })
      .expect(200);
    assert.deepEqual(backfill.body.ids, [id]);
    assert.equal((await stored(id))?.name, "clerk/user.backfilled");
  });

  test("a trusted key's id claimed first by an untrusted one: the trusted event is stored", async () => {
    await request(t.app).post(`/e/${OPEN_KEY}`).send({ id: "order-42", name: "app/squat", data: {} }).expect(200);
    const trusted = await request(t.app)
      .post(`/e/${TRUSTED_KEY}`)
      .send({ id: "order-42", name: "app/order.paid", data: { total: 42 } })
      .expect(200);
    assert.deepEqual(trusted.body.ids, ["order-42"]);
    assert.deepEqual((await stored("order-42"))?.data, { total: 42 });
  });

  test("untrusted keys still dedupe among themselves: the same id twice is stored once", async () => {
    const first = await request(t.app)
      .post(`/e/${OPEN_KEY}`)
      .send({ id: "retry-me", name: "app/once", data: { n: 1 } })
      .expect(200);
    const again = await request(t.app)
      .post(`/e/${OTHER_OPEN_KEY}`)
      .send({ id: "retry-me", name: "app/once", data: { n: 2 } })
      .expect(200);
    assert.deepEqual(again.body.ids, first.body.ids);
    assert.deepEqual((await stored(first.body.ids[0]))?.data, { n: 1 });
  });

  test("a trusted sender's ids are kept as named, and a webhook's id is its svix-id, even one shaped like an untrusted id", async () => {
    const shaped = "u~AAAAAAAAAAAAAAAAAAAAAA";
    const trusted = await request(t.app)
      .post(`/e/${TRUSTED_KEY}`)
      .send({ id: shaped, name: "app/shaped", data: {} })
      .expect(200);
    assert.deepEqual(trusted.body.ids, [shaped]);
  });
});

describe("the squatted webhook still runs (the whole bridge)", () => {
  const h = perSuite(
    "the sign-up harness",
    () => startSignupHarness({ ...KEYS, FUNCTIONS: "user-sync" }),
    (started) => started.close(),
  );

  test("the same id from an untrusted key and from Clerk: two events, two runs, the user synced", async () => {
    const delivery = signFixture(signUp("user_squatted", "squatted@example.org", "Squatted"));
    const svixId = delivery.headers["svix-id"] as string;
    const squat = await fetch(`${h.url}/e/${OPEN_KEY}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ id: svixId, name: "app/user.created", data: {} }),
    });
    assert.equal(squat.status, 200);
    assert.equal((await h.post(delivery)).status, 200);
    await h.waitForRun(svixId, "bridge-user-sync", ["completed"]);
    assert.equal(
      (await h.pool.query("SELECT email FROM users WHERE id = 'user_squatted'")).rows[0]?.email,
      "squatted@example.org",
    );
    const { ids } = (await squat.json()) as { ids: string[] };
    assert.notEqual(ids[0], svixId);
    assert.deepEqual((await h.runsOf(ids[0]!)).length, 0, "the squatter's event triggers nothing of user-sync's");
  });
});
