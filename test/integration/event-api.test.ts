import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { after, before, describe, test } from "node:test";
import { Inngest } from "inngest";
import request from "supertest";
import { makeTestApp, testAppPerSuite, type TestApp } from "../helpers/test-app.ts";
import { eventJobId } from "../../src/queue/event-jobs.ts";
import { scopeEventId } from "../../src/events/scope-event-id.ts";
import { acceptEvents } from "../../src/events/accept-events.ts";

async function stored(t: TestApp) {
  const jobs = await t.eventsQueue.getJobs(["waiting", "delayed", "active", "completed"]);
  return jobs.map((job) => job.data).sort((a, b) => a.name.localeCompare(b.name));
}

describe("POST /e/:key in development mode (no EVENT_KEYS)", () => {
  const t = testAppPerSuite();

  test("one event is stored with a generated ULID and answered {ids, status: 200}", async () => {
    const response = await request(t.app)
      .post("/e/any-key")
      .send({ name: "app/hello", data: { n: 1 } })
      .expect(200);
    assert.equal(response.body.status, 200);
    assert.equal(response.body.ids.length, 1);
    assert.match(response.body.ids[0], /^[0-9A-HJKMNP-TV-Z]{26}$/);
    const [event] = await stored(t);
    assert.equal(event.id, response.body.ids[0]);
    assert.deepEqual(event.data, { n: 1 });
    assert.equal(event.source, "api");
  });

  test("an array keeps its order in the ids, and a given id is kept", async () => {
    const response = await request(t.app)
      .post("/e/k")
      .send([
        { name: "app/a", data: {} },
        { id: "my-own-id", name: "app/b", data: {}, ts: 1_700_000_000_000, v: "2024-01-01.1" },
      ])
      .expect(200);
    assert.equal(response.body.ids.length, 2);
    assert.equal(response.body.ids[1], "my-own-id");
    const job = await t.eventsQueue.getJob(eventJobId("my-own-id"));
    assert.equal(job?.data.ts, 1_700_000_000_000);
    assert.equal(job?.data.v, "2024-01-01.1");
  });

  test("the same id sent twice is stored once", async () => {
    const before = (await stored(t)).length;
    await request(t.app).post("/e/k").send({ id: "once-only", name: "app/once", data: {} }).expect(200);
    const again = await request(t.app)
      .post("/e/k")
      .send({ id: "once-only", name: "app/once", data: { changed: true } })
      .expect(200);
    assert.deepEqual(again.body.ids, ["once-only"]);
    assert.equal((await stored(t)).length, before + 1);
    assert.deepEqual((await t.eventsQueue.getJob(eventJobId("once-only")))?.data.data, {});
  });

  test("ids that BullMQ cannot take as job ids (with ':' or all digits) still dedupe", async () => {
    const before = (await stored(t)).length;
    for (const id of ["order:42", "12345", "order:42", "12345"]) {
      const response = await request(t.app).post("/e/k").send({ id, name: "app/odd-id", data: {} }).expect(200);
      assert.deepEqual(response.body.ids, [id]);
    }
    assert.equal((await stored(t)).length, before + 2);
  });

  const invalid: Array<[string, unknown, RegExp]> = [
    ["an event without a name", { data: {} }, /^name: /],
    ["an empty name", { name: "  ", data: {} }, /^name: name must be a non-empty string/],
    ["data that is not an object", { name: "a/b", data: [1, 2] }, /^data: expected an object$/],
    ["a ts that is not a number", { name: "a/b", data: {}, ts: "yesterday" }, /^ts: /],
    ["a bad event inside an array", [{ name: "a/ok", data: {} }, { data: {} }], /^1\.name: /],
    ["a bare string", "hello", /^expected an event object or an array of events$/],
    [
      "a name longer than 256 characters (Inngest's limit)",
      { name: `app/${"x".repeat(253)}`, data: {} },
      /^name: name must be at most 256 characters \(Inngest's limit\)$/,
    ],
  ];
  for (const [name, body, message] of invalid) {
    test(`${name} is rejected with 400 and nothing is stored`, async () => {
      const before = (await stored(t)).length;
      const response = await request(t.app)
        .post("/e/k")
        .set("content-type", "application/json")
        .send(JSON.stringify(body))
        .expect(400);
      assert.equal(response.body.error.code, "event_invalid");
      assert.match(response.body.error.message, message, "the error names the field");
      assert.equal((await stored(t)).length, before);
    });
  }

  test("a name of exactly 256 characters is accepted", async () => {
    await request(t.app)
      .post("/e/k")
      .send({ name: `app/${"x".repeat(252)}`, data: {} })
      .expect(200);
  });

  test("the intake itself refuses a longer name, from paths without the schema (step.sendEvent, system events)", async () => {
    const before = (await stored(t)).length;
    await assert.rejects(
      acceptEvents(
        { eventsQueue: t.eventsQueue, dedupeWindowMs: 60_000 },
        [
          { name: "app/ok", data: {} },
          { name: "x".repeat(257), data: {} },
        ],
        "function",
      ),
      {
        code: "event_invalid",
        message: "[1].name: name must be at most 256 characters (Inngest's limit)",
      },
    );
    assert.equal((await stored(t)).length, before);
  });

  test("malformed JSON is 400 and a non-JSON content type is 415", async () => {
    const malformed = await request(t.app)
      .post("/e/k")
      .set("content-type", "application/json")
      .send("{nope")
      .expect(400);
    assert.equal(malformed.body.error.code, "body_malformed");
    const text = await request(t.app).post("/e/k").set("content-type", "text/plain").send("hi").expect(415);
    assert.equal(text.body.error.code, "unsupported_media_type");
  });
});

describe("POST /e/:key with EVENT_KEYS", () => {
  const t = testAppPerSuite(() => makeTestApp({ EVENT_KEYS: "key-one,key-two" }));

  test("a configured key is accepted", async () => {
    await request(t.app).post("/e/key-two").send({ name: "app/x", data: {} }).expect(200);
  });

  test("an unknown key is 401 and nothing is stored", async () => {
    const before = (await stored(t)).length;
    const response = await request(t.app).post("/e/key-three").send({ name: "app/x", data: {} }).expect(401);
    assert.equal(response.body.error.code, "event_key_invalid");
    assert.equal((await stored(t)).length, before);
  });
});

describe("the official inngest SDK as a client", () => {
  let t: TestApp;
  let server: Server;
  before(async () => {
    t = await makeTestApp({ EVENT_KEYS: "sdk-key" });
    server = t.app.listen(0, "127.0.0.1");
    await new Promise((done) => server.once("listening", done));
  });
  after(async () => {
    await new Promise((done) => server.close(done));
    await t.close();
  });

  test("inngest.send() of one event and of a batch lands in the bridge with the ids it reports", async () => {
    const { port } = server.address() as AddressInfo;
    const inngest = new Inngest({
      id: "bridge-test",
      eventKey: "sdk-key",
      baseUrl: `http://127.0.0.1:${port}`,
      isDev: false,
    });
    const one = await inngest.send({ name: "app/user.signup", data: { email: "a@example.com" } });
    const batch = await inngest.send([
      { name: "app/batch", data: { n: 1 } },
      { name: "app/batch", data: { n: 2 }, id: "sdk-dedupe-id" },
    ]);
    assert.equal(one.ids.length, 1);
    assert.equal(batch.ids.length, 2);
    // sdk-key is not in TRUSTED_EVENT_KEYS: the id it names lives in its own namespace (issue 19).
    assert.equal(batch.ids[1], scopeEventId("sdk-dedupe-id", { untrusted: true }));
    assert.equal((await t.eventsQueue.getJob(eventJobId(batch.ids[1]!)))?.data.data.n, 2);
    const signup = await t.eventsQueue.getJob(eventJobId(one.ids[0]!));
    assert.equal(signup?.data.name, "app/user.signup");
    assert.deepEqual(signup?.data.data, { email: "a@example.com" });
    assert.equal((await stored(t)).filter((event) => event.name === "app/batch").length, 2);
  });
});
