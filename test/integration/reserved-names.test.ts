import assert from "node:assert/strict";
import { describe, test } from "node:test";
import request from "supertest";
import type { Transform } from "../../src/transforms/transform-types.ts";
import { makeOperatorApp } from "../helpers/operator-app.ts";
import { perSuite } from "../helpers/per-suite.ts";
import { signFixture } from "../helpers/sign-fixture.ts";
import { makeTestApp, testAppPerSuite, type TestApp } from "../helpers/test-app.ts";

const KEY = "event-key-untrusted-0123456789";
const TRUSTED = "event-key-trusted-0123456789ab";

async function storedNames(t: TestApp): Promise<string[]> {
  const jobs = await t.eventsQueue.getJobs(["waiting", "delayed", "active", "completed"]);
  return jobs.map((job) => job.data.name).sort();
}

describe("names of a webhook source through the Event API, with EVENT_KEYS", () => {
  const t = testAppPerSuite(() => makeTestApp({ EVENT_KEYS: `${KEY},${TRUSTED}`, TRUSTED_EVENT_KEYS: TRUSTED }));

  const refused: Array<[string, unknown]> = [
    ["clerk/user.created", { name: "clerk/user.created", data: { id: "user_forged", email_addresses: [] } }],
    ["clerk/user.deleted", { name: "clerk/user.deleted", data: { id: "user_1" } }],
    ["another case (Clerk/user.updated)", { name: "Clerk/user.updated", data: {} }],
    ["padded with spaces", { name: "  clerk/user.created ", data: {} }],
    [
      "one reserved event in an array",
      [
        { name: "app/ok", data: {} },
        { name: "clerk/user.created", data: {} },
      ],
    ],
    ["a system event (inngest/function.failed)", { name: "inngest/function.failed", data: {} }],
  ];
  for (const [name, body] of refused) {
    test(`${name} from a key not in TRUSTED_EVENT_KEYS is 403 event_name_reserved and stores nothing`, async () => {
      const before = await storedNames(t);
      const response = await request(t.app)
        .post(`/e/${KEY}`)
        .send(body as object)
        .expect(403);
      assert.equal(response.body.error.code, "event_name_reserved");
      assert.match(response.body.error.message, /reserved/);
      assert.deepEqual(await storedNames(t), before);
    });
  }

  test("a trusted key may send clerk/* events, but not the bridge's own inngest/* events", async () => {
    await request(t.app)
      .post(`/e/${TRUSTED}`)
      .send({ name: "clerk/user.created", data: { id: "user_from_backfill" } })
      .expect(200);
    assert.ok((await storedNames(t)).includes("clerk/user.created"));
    const system = await request(t.app)
      .post(`/e/${TRUSTED}`)
      .send({ name: "inngest/function.failed", data: {} })
      .expect(403);
    assert.equal(system.body.error.code, "event_name_reserved");
  });

  test("names that only look alike are anyone's", async () => {
    for (const name of [
      "clerkish/user.created",
      "app/clerk/user.created",
      "clerk",
      "clerk.user.created",
      "inngestion/x",
    ]) {
      await request(t.app).post(`/e/${KEY}`).send({ name, data: {} }).expect(200);
    }
  });
});

describe("names of a webhook source through the Event API, in development mode (EVENT_KEYS unset)", () => {
  const t = testAppPerSuite();

  test("a client on this machine may send clerk/* events", async () => {
    await request(t.app)
      .post("/e/dev")
      .set("host", "localhost:8288")
      .send({ name: "clerk/user.created", data: {} })
      .expect(200);
    // BRIDGE_URL=http://0.0.0.0:8288, the address the bridge listens on, is this machine too.
    await request(t.app)
      .post("/e/dev")
      .set("host", "0.0.0.0:8288")
      .send({ name: "clerk/user.created", data: {} })
      .expect(200);
  });

  test("a client on this machine that named the bridge otherwise is told why it is not taken for local", async () => {
    const named = await request(t.app)
      .post("/e/dev")
      .set("host", "my-laptop.lan:8288")
      .send({ name: "clerk/user.created", data: {} })
      .expect(403);
    assert.match(
      named.body.error.message,
      /EVENT_KEYS is unset: a client on this machine; this request came from this machine but named the bridge "my-laptop\.lan:8288"/,
    );
  });

  test("a client through a proxy, or addressing the bridge by another name, may not", async () => {
    const proxied = await request(t.app)
      .post("/e/dev")
      .set("x-forwarded-for", "203.0.113.9")
      .send({ name: "clerk/user.created", data: {} })
      .expect(403);
    assert.equal(proxied.body.error.code, "event_name_reserved");
    assert.match(proxied.body.error.message, /EVENT_KEYS is unset/);
    // A page whose host name resolves to 127.0.0.1 (DNS rebinding) is not a local client.
    await request(t.app)
      .post("/e/dev")
      .set("host", "attacker.example:8288")
      .send({ name: "clerk/user.created", data: {} })
      .expect(403);
    await request(t.app)
      .post("/e/dev")
      .set("x-forwarded-for", "203.0.113.9")
      .send({ name: "app/anything", data: {} })
      .expect(200);
  });
});

describe("names of a webhook source from the operator API", () => {
  const t = perSuite(
    "the operator app",
    () => makeOperatorApp({ ADMIN_TOKEN: "operator-token-0123456789" }),
    (started) => started.close(),
  );

  test("an operator may send and replay clerk/* and inngest/* events", async () => {
    const auth = { authorization: "Bearer operator-token-0123456789" };
    const sent = await request(t.app)
      .post("/api/events")
      .set(auth)
      .send([
        { name: "clerk/user.created", data: { id: "u" } },
        { name: "inngest/function.failed", data: {} },
      ])
      .expect(201);
    await request(t.app).post(`/api/events/${sent.body.ids[0]}/replay`).set(auth).send({}).expect(201);
  });
});

describe("names a template returns", () => {
  const SECRET = `whsec_${Buffer.from("acme-reserved-names").toString("base64")}`;
  const make = (transform: Transform) =>
    makeTestApp(
      { ACME_WEBHOOK_SECRET: SECRET },
      {
        transforms: new Map([
          ["acme", transform],
          ["clerk", () => null],
        ]),
      },
    );

  const cases: Array<[string, string, number]> = [
    ["its own source's names", "acme/thing.happened", 200],
    ["names nobody owns", "app/thing", 200],
    ["another source's names", "clerk/user.created", 422],
    ["the bridge's own names", "inngest/function.failed", 422],
  ];
  for (const [what, name, status] of cases) {
    test(`a template may return ${what}: ${name} answers ${status}`, async () => {
      const t = await make(() => ({ name, data: {} }));
      try {
        const delivery = signFixture({}, { secret: SECRET });
        const response = await request(t.app)
          .post("/webhooks/acme")
          .set(delivery.headers)
          .send(delivery.body)
          .expect(status);
        if (status === 422) {
          assert.equal(response.body.error.code, "transform_failed");
          assert.deepEqual(await storedNames(t), []);
        } else {
          assert.deepEqual(await storedNames(t), [name]);
        }
      } finally {
        await t.close();
      }
    });
  }
});
