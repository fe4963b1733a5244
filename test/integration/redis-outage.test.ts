import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import request from "supertest";
import { clerkFixture, signFixture } from "../helpers/sign-fixture.ts";
import { PrivateRedis } from "../helpers/private-redis.ts";
import { makeTestApp, type TestApp } from "../helpers/test-app.ts";
import { waitFor } from "../helpers/wait-until.ts";

describe("when Redis is unreachable", () => {
  let redis: PrivateRedis;
  let t: TestApp;
  before(async () => {
    redis = await PrivateRedis.create();
    t = await makeTestApp({}, { redisUrl: redis.url });
  });
  after(async () => {
    await redis.start().catch(() => undefined);
    await t.close();
    await redis.stop();
  });

  test("a webhook gets 503 at once (Svix will redeliver), and the redelivery after recovery is stored once", async () => {
    const delivery = signFixture(clerkFixture("user.created"), { id: "msg_during_outage" });
    await request(t.app).post("/webhooks/clerk").set(delivery.headers).send(delivery.body).expect(200);
    await redis.stop();

    const outage = signFixture(clerkFixture("user.updated"), { id: "msg_lost_unless_retried" });
    // A bound, not a benchmark: the answer must come back instead of hanging on the dead socket.
    const refused = await request(t.app)
      .post("/webhooks/clerk")
      .set(outage.headers)
      .send(outage.body)
      .timeout(5000)
      .expect(503);
    assert.equal(refused.body.error.code, "redis_unavailable");
    const events = await request(t.app).post("/e/k").send({ name: "app/x", data: {} }).timeout(5000).expect(503);
    assert.equal(events.body.error.code, "redis_unavailable");
    await request(t.app).get("/readyz").timeout(5000).expect(503);
    await request(t.app).get("/healthz").expect(200);

    await redis.start();
    await waitFor(
      async () => (await request(t.app).get("/readyz")).status,
      (status) => status === 200,
      "ready again",
      10_000,
      100,
    );
    const retried = signFixture(clerkFixture("user.updated"), { id: "msg_lost_unless_retried" });
    await request(t.app).post("/webhooks/clerk").set(retried.headers).send(retried.body).expect(200);
    await request(t.app).post("/webhooks/clerk").set(retried.headers).send(retried.body).expect(200);

    const jobs = await t.eventsQueue.getJobs(["waiting"]);
    assert.deepEqual(jobs.map((job) => job.data.id).sort(), ["msg_during_outage", "msg_lost_unless_retried"]);
  });
});
