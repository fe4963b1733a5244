import assert from "node:assert/strict";
import { describe, test } from "node:test";
import request from "supertest";
import { createFunction } from "../../src/client/index.ts";
import { runIdFor } from "../../src/engine/store/run-id.ts";
import { EVENTS_QUEUE, RUNS_QUEUE } from "../../src/queue/queue-names.ts";
import type { Transform } from "../../src/transforms/transform-types.ts";
import { perSuite } from "../helpers/per-suite.ts";
import { clerkFixture, signFixture } from "../helpers/sign-fixture.ts";
import { BULLMQ_JOB_SUFFIXES, BULLMQ_QUEUE_KEY_NAMES } from "../helpers/bullmq-key-names.ts";
import { startWholeBridge, type WholeBridge } from "../helpers/whole-bridge.ts";

const QUEUE_KEY_NAMES = BULLMQ_QUEUE_KEY_NAMES;
const JOB_SUFFIXES = BULLMQ_JOB_SUFFIXES;

/** Ids that once named, or could name, a key BullMQ owns, and other ids a job id cannot be as they are. */
const HOSTILE_IDS = [
  ...QUEUE_KEY_NAMES,
  ...QUEUE_KEY_NAMES.map((name) => name.toUpperCase()),
  ...JOB_SUFFIXES.map((suffix) => `job:${suffix}`),
  ...JOB_SUFFIXES.map((suffix) => `123:${suffix}`),
  "123",
  "0",
  "-1",
  "1e3",
  "9007199254740993",
  "e-wait",
  "h-wait",
  "r-wait",
  `${EVENTS_QUEUE}:wait`,
  `${RUNS_QUEUE}:active`,
  "{cwb}:events:wait",
  "bull:events:meta",
  "__proto__",
  "constructor",
  "*",
  "?",
  "[a]",
  " wait",
  "wait ",
  "ñ",
  "../",
  "a/b",
  "%2F",
  "x".repeat(512),
];

const probe = createFunction(
  { id: "probe", triggers: [{ event: "probe/hit" }, { event: "acme/hit" }], retries: 0 },
  async ({ event, step }) => {
    return await step.run("echo", () => event.id);
  },
);

const ACME_SECRET = `whsec_${Buffer.from("acme-hostile-ids-secret").toString("base64")}`;
/** A template that takes the event id from the payload, as a careless one would. */
const acme: Transform = (payload) => ({
  id: String((payload as { id: unknown }).id),
  name: "acme/hit",
  data: { via: "webhook" },
});

async function startBridge(): Promise<WholeBridge> {
  return await startWholeBridge({
    env: { ACME_WEBHOOK_SECRET: ACME_SECRET },
    functions: [probe],
    transforms: new Map([["acme", acme]]),
  });
}

/** BullMQ's own keys still have the types BullMQ gave them (a hash where it keeps a list wedges it for good). */
async function assertQueueKeysIntact(t: WholeBridge) {
  const expected: Record<string, string[]> = {
    wait: ["list"],
    active: ["list"],
    paused: ["list"],
    meta: ["hash"],
    marker: ["zset"],
    id: ["string"],
    events: ["stream"],
    delayed: ["zset"],
    prioritized: ["zset"],
    completed: ["zset"],
    failed: ["zset"],
    stalled: ["set"],
    pc: ["string"],
    "stalled-check": ["string"],
    limiter: ["string"],
    repeat: ["zset"],
    "waiting-children": ["zset"],
  };
  for (const queue of [EVENTS_QUEUE, RUNS_QUEUE]) {
    for (const [name, types] of Object.entries(expected)) {
      const type = await t.services.redis.type(`{${t.prefix}}:${queue}:${name}`);
      assert.ok(type === "none" || types.includes(type), `${queue}:${name} is a ${type}`);
    }
  }
}

/** After the hostile ids, the bridge still does everything it did before. */
async function assertBridgeHealthy(t: WholeBridge) {
  const normal = await request(t.app)
    .post("/e/any")
    .send({ name: "probe/hit", data: { normal: true } })
    .expect(200);
  const clerk = signFixture(clerkFixture("user.updated"));
  await request(t.app).post("/webhooks/clerk").set(clerk.headers).send(clerk.body).expect(200);
  await t.waitForRun(runIdFor("probe", normal.body.ids[0]), ["completed"]);
  await request(t.app).get("/readyz").expect(200);
  const metrics = await request(t.app).get("/metrics").expect(200);
  assert.match(metrics.text, /bridge_queue_jobs\{queue="events",state="waiting"\}/);
  await assertQueueKeysIntact(t);
}

for (const via of ["the Event API", "a signed webhook"] as const) {
  describe(`event ids named like BullMQ's keys, through ${via}`, () => {
    const t = perSuite(
      "the bridge",
      () => startBridge(),
      (started) => started.close(),
    );

    test("each is stored under its own id, routed, run, and readable at /api/events/<id>", async () => {
      for (const id of HOSTILE_IDS) {
        const response =
          via === "the Event API"
            ? await request(t.app).post("/e/any").send({ id, name: "probe/hit", data: {} })
            : await request(t.app)
                .post("/webhooks/acme")
                .set(signFixture({ id }, { secret: ACME_SECRET }).headers)
                .send(JSON.stringify({ id }));
        assert.equal(response.status, 200, `${JSON.stringify(id)}: ${response.text}`);
        assert.deepEqual(response.body.ids, [id]);
      }
      for (const id of HOSTILE_IDS) {
        const run = await t.waitForRun(runIdFor("probe", id), ["completed", "failed"]);
        assert.equal(run.status, "completed", `the run of ${JSON.stringify(id)}`);
        const read = await request(t.app)
          .get(`/api/events/${encodeURIComponent(id)}`)
          .expect(200);
        assert.equal(read.body.event.id, id);
        assert.equal(read.body.event.name, via === "the Event API" ? "probe/hit" : "acme/hit");
        assert.deepEqual(
          read.body.runs.map((summary: { functionId: string }) => summary.functionId),
          ["probe"],
        );
      }
      await assertBridgeHealthy(t);
    });

    test("a redelivery of each id is answered with that id and stores nothing new", async () => {
      const before = await t.services.queues.events.getJobCountByTypes(
        "waiting",
        "active",
        "delayed",
        "completed",
        "failed",
      );
      for (const id of HOSTILE_IDS.slice(0, 12)) {
        const response =
          via === "the Event API"
            ? await request(t.app)
                .post("/e/any")
                .send({ id, name: "probe/hit", data: { again: true } })
            : await request(t.app)
                .post("/webhooks/acme")
                .set(signFixture({ id }, { secret: ACME_SECRET }).headers)
                .send(JSON.stringify({ id }));
        assert.deepEqual(response.body.ids, [id]);
      }
      assert.equal(
        await t.services.queues.events.getJobCountByTypes("waiting", "active", "delayed", "completed", "failed"),
        before,
      );
      await assertBridgeHealthy(t);
    });
  });
}
