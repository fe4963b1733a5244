import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import request from "supertest";
import { loadTransforms } from "../../src/transforms/load-transforms.ts";
import type { Transform } from "../../src/transforms/transform-types.ts";
import {
  clerkFixture,
  clerkFixtureTypes,
  CLERK_SAMPLES_DIR,
  FIXTURES_DIR,
  signFixture,
} from "../helpers/sign-fixture.ts";
import { makeTestApp, testAppPerSuite, type TestApp } from "../helpers/test-app.ts";
import { eventJobId } from "../../src/queue/event-jobs.ts";
import { unpackData } from "../../src/crypto/packed-data.ts";

async function storedEvents(t: TestApp) {
  const jobs = await t.eventsQueue.getJobs(["waiting", "delayed", "active", "completed"]);
  return jobs.map((job) => job.data);
}

function post(t: TestApp, delivery: { body: string; headers: Record<string, string> }, source = "clerk") {
  return request(t.app).post(`/webhooks/${source}`).set(delivery.headers).send(delivery.body);
}

describe("POST /webhooks/clerk", () => {
  const t = testAppPerSuite();

  test("every Clerk fixture, signed with svix, is stored as its event", async () => {
    for (const type of clerkFixtureTypes()) {
      const payload = clerkFixture(type);
      const delivery = signFixture(payload, { id: `msg_${type.replace(/\W/g, "_")}` });
      const response = await post(t, delivery).expect(200);
      assert.deepEqual(response.body, { ids: [delivery.headers["svix-id"]], status: 200 });
      // Its data as the readers open it: a large one is stored packed (crypto/packed-data.ts).
      const job = await t.eventsQueue.getJob(eventJobId(delivery.headers["svix-id"]!));
      assert.ok(job, `${type} was stored`);
      assert.equal(job.name, `clerk/${type}`);
      assert.deepEqual(
        {
          id: job.data.id,
          name: job.data.name,
          data: unpackData(job.data.data),
          ts: job.data.ts,
          source: job.data.source,
        },
        // Clerk's OpenAPI examples are dated in seconds; the docs' user.created, in milliseconds.
        {
          id: delivery.headers["svix-id"],
          name: `clerk/${type}`,
          data: payload.data,
          ts: type === "user.created" ? 1654012591835 : 1716883200_000,
          source: "clerk",
        },
      );
      assert.equal(typeof job.data.receivedAt, "number");
    }
  });

  test("a redelivered svix-id is stored once and answers with the same event id", async () => {
    const delivery = signFixture(clerkFixture("user.updated"), { id: "msg_redelivered" });
    const before = (await storedEvents(t)).length;
    const first = await post(t, delivery).expect(200);
    // Svix re-signs a retry with a fresh timestamp; the svix-id stays the same.
    const again = signFixture(clerkFixture("user.updated"), {
      id: "msg_redelivered",
      timestamp: new Date(Date.now() + 1000),
    });
    const second = await post(t, again).expect(200);
    const third = await post(t, delivery).expect(200);
    assert.deepEqual(first.body.ids, ["msg_redelivered"]);
    assert.deepEqual(second.body.ids, first.body.ids);
    assert.deepEqual(third.body.ids, first.body.ids);
    assert.equal((await storedEvents(t)).length, before + 1);
  });

  test("the svix-signature is never written to the log", async () => {
    const delivery = signFixture(clerkFixture("user.created"));
    await post(t, delivery).expect(200);
    const signature = delivery.headers["svix-signature"]!;
    assert.ok(t.logs.length > 0);
    assert.ok(!JSON.stringify(t.logs).includes(signature.slice(3)));
  });
});

describe("POST /webhooks/clerk with Clerk's Inngest template still on the Svix endpoint", () => {
  const t = testAppPerSuite();

  test("a body shaped as an Inngest event is stored as Clerk's own, under the svix-id", async () => {
    const payload = clerkFixture("user.created");
    const delivery = signFixture(
      { name: "clerk/user.created", data: payload.data },
      { id: "msg_from_inngest_template" },
    );
    const response = await post(t, delivery).expect(200);
    assert.deepEqual(response.body, { ids: ["msg_from_inngest_template"], status: 200 });
    const job = await t.eventsQueue.getJob(eventJobId("msg_from_inngest_template"));
    assert.deepEqual(
      { name: job?.data.name, data: unpackData(job?.data.data), ts: job?.data.ts, source: job?.data.source },
      {
        name: "clerk/user.created",
        data: payload.data,
        ts: Number(delivery.headers["svix-timestamp"]) * 1000,
        source: "clerk",
      },
    );
  });

  test("a name outside clerk/ is refused with 422 and stored nowhere", async () => {
    const before = (await storedEvents(t)).length;
    const response = await post(t, signFixture({ name: "app/invoice.paid", data: {} })).expect(422);
    assert.equal(response.body.error.code, "transform_failed");
    assert.match(response.body.error.message, /clerk\/<event type>/);
    assert.equal((await storedEvents(t)).length, before);
  });
});

describe("POST /webhooks/clerk served by a Svix transformation dropped into transforms/", () => {
  const t = testAppPerSuite(async () =>
    makeTestApp({}, { transforms: await loadTransforms(join(FIXTURES_DIR, "svix-transformations")) }),
  );

  test("the event the script renames is stored under the svix-id", async () => {
    const payload = JSON.parse(readFileSync(join(CLERK_SAMPLES_DIR, "user.created.json"), "utf8"));
    const delivery = signFixture(payload, { id: "msg_svix_script" });
    const response = await post(t, delivery).expect(200);
    assert.deepEqual(response.body, { ids: ["msg_svix_script"], status: 200 });
    const job = await t.eventsQueue.getJob(eventJobId("msg_svix_script"));
    assert.equal(job?.data.name, "app/user.signed-up");
    assert.deepEqual(job?.data.data, {
      userId: payload.data.id,
      email: "example@example.org",
      signedUpAt: "2022-05-31T15:56:31.514Z",
    });
  });

  test("a delivery the script cancels answers 200, stores nothing and is logged", async () => {
    const before = (await storedEvents(t)).length;
    const delivery = signFixture(clerkFixture("session.created"), { id: "msg_svix_cancelled" });
    const response = await post(t, delivery).expect(200);
    assert.deepEqual(response.body, { ids: [], status: 200 });
    assert.equal((await storedEvents(t)).length, before);
    assert.ok(t.logs.some((line) => line.svixId === "msg_svix_cancelled" && /dropped/.test(String(line.msg))));
  });
});

/** The body with one value replaced; fails the test if the value is not in it. */
function changed(body: string, from: string, to: string): string {
  assert.ok(body.includes(from), `the body holds ${from}`);
  return body.replace(from, to);
}

describe("POST /webhooks/:source rejects bad input and stores nothing", () => {
  let t: TestApp;
  const valid = () => signFixture(clerkFixture("user.created"));
  before(async () => {
    t = await makeTestApp({ MAX_BODY_BYTES: "4096" });
  });
  after(() => t.close());

  const cases: Array<[string, number, string, () => ReturnType<typeof valid>, string?]> = [
    [
      "a bad signature",
      401,
      "signature_invalid",
      () => ({ ...valid(), headers: { ...valid().headers, "svix-signature": "v1,AAAA" } }),
    ],
    [
      "a body changed after signing",
      401,
      "signature_invalid",
      () => {
        const d = valid();
        return { ...d, body: changed(d.body, "example@example.org", "forged@example.org") };
      },
    ],
    [
      "a secret from elsewhere",
      401,
      "signature_invalid",
      () => signFixture(clerkFixture("user.created"), { secret: "whsec_" + Buffer.from("other").toString("base64") }),
    ],
    [
      "a stale timestamp",
      401,
      "timestamp_stale",
      () => signFixture(clerkFixture("user.created"), { timestamp: new Date(Date.now() - 10 * 60_000) }),
    ],
    [
      "a future timestamp",
      401,
      "timestamp_stale",
      () => signFixture(clerkFixture("user.created"), { timestamp: new Date(Date.now() + 10 * 60_000) }),
    ],
    [
      "a missing svix-id",
      400,
      "headers_missing",
      () => {
        const d = valid();
        delete (d.headers as Record<string, string>)["svix-id"];
        return d;
      },
    ],
    [
      "a missing svix-signature",
      400,
      "headers_missing",
      () => {
        const d = valid();
        delete (d.headers as Record<string, string>)["svix-signature"];
        return d;
      },
    ],
    ["malformed JSON (signed)", 400, "body_malformed", () => signFixture('{"type": "user.created", ')],
    [
      "a wrong content type",
      415,
      "unsupported_media_type",
      () => ({ ...valid(), headers: { ...valid().headers, "content-type": "text/plain" } }),
    ],
    [
      "a JSON body declared as UTF-16",
      415,
      "unsupported_media_type",
      () => ({ ...valid(), headers: { ...valid().headers, "content-type": "application/json; charset=utf-16" } }),
    ],
    [
      "an oversized body",
      413,
      "payload_too_large",
      () => signFixture({ type: "user.created", data: { blob: "x".repeat(5000) } }),
    ],
    ["an unknown source", 404, "source_unknown", valid, "stripe"],
    ["a payload the template refuses (no type)", 422, "transform_failed", () => signFixture({ data: {} })],
  ];

  for (const [name, status, code, make, source] of cases) {
    test(`${name} → ${status} ${code}`, async () => {
      const response = await post(t, make(), source).expect(status);
      assert.equal(response.body.error.code, code);
      assert.equal(typeof response.body.error.message, "string");
      assert.ok(response.body.error.message.length > 0);
      assert.deepEqual(await storedEvents(t), []);
    });
  }
});

describe("templates that fail or drop", () => {
  const make = (transform: Transform) =>
    makeTestApp(
      { ACME_WEBHOOK_SECRET: "whsec_" + Buffer.from("acme-secret").toString("base64") },
      {
        transforms: new Map([["acme", transform]]),
      },
    );
  const signed = (payload: unknown) =>
    signFixture(payload, { secret: "whsec_" + Buffer.from("acme-secret").toString("base64") });

  const failing: Array<[string, Transform, RegExp]> = [
    [
      "throws",
      () => {
        throw new Error("cannot map this");
      },
      /cannot map this/,
    ],
    ["returns an invalid event", () => ({ name: 42 }) as never, /invalid event/],
    ["never settles", () => new Promise(() => {}), /did not finish/],
  ];
  for (const [name, transform, message] of failing) {
    test(`a template that ${name} answers 422 and stores nothing`, async () => {
      const t = await make(transform);
      try {
        const response = await post(t, signed({ any: "thing" }), "acme").expect(422);
        assert.equal(response.body.error.code, "transform_failed");
        assert.match(response.body.error.message, message);
        assert.deepEqual(await storedEvents(t), []);
      } finally {
        await t.close();
      }
    });
  }

  test("a template returning null answers 200, stores nothing and logs why", async () => {
    const t = await make(() => null);
    try {
      const response = await post(t, signed({ type: "ping" }), "acme").expect(200);
      assert.deepEqual(response.body, { ids: [], status: 200 });
      assert.deepEqual(await storedEvents(t), []);
      assert.ok(t.logs.some((line) => /dropped/.test(String(line.msg))));
    } finally {
      await t.close();
    }
  });

  test("a template returning several events stores each, with ids stable across redelivery", async () => {
    const t = await make(() => [
      { name: "acme/a", data: {} },
      { name: "acme/b", data: {} },
    ]);
    try {
      const delivery = signed({});
      const first = await post(t, delivery, "acme").expect(200);
      const second = await post(t, delivery, "acme").expect(200);
      const id = delivery.headers["svix-id"];
      assert.deepEqual(first.body.ids, [`${id}-0`, `${id}-1`]);
      assert.deepEqual(second.body.ids, first.body.ids);
      assert.deepEqual((await storedEvents(t)).map((event) => event.name).sort(), ["acme/a", "acme/b"]);
    } finally {
      await t.close();
    }
  });
});
