import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import request from "supertest";
import { createFunction, NonRetriableError } from "../../src/client/index.ts";
import { startTestEngine } from "../helpers/engine-harness.ts";
import { clerkFixture, signFixture } from "../helpers/sign-fixture.ts";
import { makeTestApp, type TestApp } from "../helpers/test-app.ts";

/** The value of one sample in the Prometheus text, or 0 when absent. */
function sample(text: string, name: string, labels = ""): number {
  const line = text
    .split("\n")
    .find((row) => row.startsWith(`${name}${labels} `) || (labels === "" && row.startsWith(`${name} `)));
  return line ? Number(line.split(" ").pop()) : 0;
}

describe("GET /metrics", () => {
  let t: TestApp;
  before(async () => {
    t = await makeTestApp();
  });
  after(async () => {
    await t.close();
  });

  test("counts webhooks by source and outcome, accepted and deduplicated events, and queue depth", async () => {
    const delivery = signFixture(clerkFixture("user.created"));
    await request(t.app).post("/webhooks/clerk").set(delivery.headers).send(delivery.body).expect(200);
    await request(t.app).post("/webhooks/clerk").set(delivery.headers).send(delivery.body).expect(200);
    const forged = { ...delivery, headers: { ...delivery.headers, "svix-signature": "v1,AAAA" } };
    await request(t.app).post("/webhooks/clerk").set(forged.headers).send(forged.body).expect(401);
    await request(t.app).post("/webhooks/nope").set(delivery.headers).send(delivery.body).expect(404);
    await request(t.app)
      .post("/e/k")
      .send([
        { name: "a/b", data: {} },
        { name: "a/c", data: {} },
      ])
      .expect(200);

    let text = "";
    for (let attempt = 0; attempt < 50; attempt++) {
      text = (
        await request(t.app)
          .get("/metrics")
          .expect(200)
          .expect("content-type", /text\/plain/)
      ).text;
      if (sample(text, "bridge_events_deduplicated_total") >= 1) break;
      await new Promise((done) => setTimeout(done, 100));
    }
    assert.equal(sample(text, "bridge_webhooks_total", '{source="clerk",outcome="accepted"}'), 2);
    assert.equal(sample(text, "bridge_webhooks_total", '{source="clerk",outcome="signature_invalid"}'), 1);
    assert.equal(sample(text, "bridge_webhooks_total", '{source="unknown",outcome="source_unknown"}'), 1);
    assert.equal(sample(text, "bridge_events_accepted_total", '{source="api"}'), 2);
    assert.equal(sample(text, "bridge_events_deduplicated_total"), 1);
    assert.equal(sample(text, "bridge_queue_jobs", '{queue="events",state="waiting"}'), 3);
    assert.match(text, /bridge_nodejs_eventloop_lag_seconds/);
  });

  test("webhooks refused by the body parser are counted with their code, not as internal", async () => {
    const delivery = signFixture(clerkFixture("user.created"));
    const big = "x".repeat(t.config.maxBodyBytes + 1);
    await request(t.app)
      .post("/webhooks/clerk")
      .set(delivery.headers)
      .set("content-type", "application/json")
      .send(big)
      .expect(413);
    await request(t.app)
      .post("/webhooks/clerk")
      .set(delivery.headers)
      .set("content-type", "application/json")
      .set("content-encoding", "x-bogus")
      .send(delivery.body)
      .expect(415);
    await request(t.app)
      .post("/webhooks/clerk")
      .set(delivery.headers)
      .set("content-type", "application/json")
      .set("content-encoding", "gzip")
      .send("not gzip at all")
      .expect(400);
    const text = (await request(t.app).get("/metrics").expect(200)).text;
    assert.equal(sample(text, "bridge_webhooks_total", '{source="clerk",outcome="payload_too_large"}'), 1);
    assert.equal(sample(text, "bridge_webhooks_total", '{source="clerk",outcome="unsupported_media_type"}'), 1);
    assert.equal(sample(text, "bridge_webhooks_total", '{source="clerk",outcome="body_malformed"}'), 1);
    assert.equal(sample(text, "bridge_webhooks_total", '{source="clerk",outcome="internal"}'), 0);
  });
});

describe("engine metrics", () => {
  test("runs are counted by function and final status, and step executions are timed", async () => {
    const ok = createFunction({ id: "metrics-ok", triggers: [{ event: "metrics/go" }] }, async ({ step }) => {
      await step.run("first", () => 1);
      await step.run("second", () => 2);
    });
    const broken = createFunction(
      { id: "metrics-broken", triggers: [{ event: "metrics/go" }], retries: 0 },
      async ({ step }) => {
        await step.run("explode", () => {
          throw new NonRetriableError("no");
        });
      },
    );
    const engine = await startTestEngine([ok, broken]);
    const { metrics } = engine;
    try {
      const [eventId] = await engine.send({ name: "metrics/go", data: {} });
      await engine.waitForRun(engine.runId("metrics-ok", eventId!), "completed");
      await engine.waitForRun(engine.runId("metrics-broken", eventId!), "failed");
      const text = await metrics.registry.metrics();
      assert.equal(sample(text, "bridge_runs_total", '{function="metrics-ok",status="completed"}'), 1);
      assert.equal(sample(text, "bridge_runs_total", '{function="metrics-broken",status="failed"}'), 1);
      assert.equal(sample(text, "bridge_step_duration_seconds_count", '{function="metrics-ok",status="completed"}'), 2);
      assert.equal(
        sample(text, "bridge_step_duration_seconds_count", '{function="metrics-broken",status="failed"}'),
        1,
      );
    } finally {
      await engine.close();
    }
  });
});
