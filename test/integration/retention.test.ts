import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, it } from "node:test";
import type { Redis } from "ioredis";
import { connectRedis } from "../../src/redis/connect-redis.ts";
import type { RunningBridge } from "../../src/app/start-bridge.ts";
import { noOperatorFunctions, startFullBridge } from "../helpers/full-bridge.ts";
import { createTestSchema, type TestSchema } from "../helpers/pg-schema.ts";
import { clerkFixture, signFixture } from "../helpers/sign-fixture.ts";
import { dropPrefix, keysUnder, TEST_REDIS_URL, testPrefix } from "../helpers/test-redis.ts";

const RETENTION_MS = 3000;

/** What may stay once everything written has outlived RETENTION: configuration, not data. */
const KEPT = [
  /:functions$/, // the functions the workers run, for a receiver's functions page
  /:destinations$/,
  /:run-functions$/, // the ids of functions that have run, so the list of all runs finds their indexes
  /:encryption-check$/,
  /:audit$/, // the operators' audit log: its own 90-day retention (a security record)
  /:(events|runs|operator):(meta|id|stalled-check|marker|events)$/, // BullMQ's queue bookkeeping; the streams are trimmed below
  // The match paths in use per event name ("data.id"): words from function definitions, no data;
  // it expires a minute after the last waiter it served.
  /:waiters:paths:[\w-]+$/,
];

describe("RETENTION holds for everything the bridge writes", () => {
  const prefix = testPrefix();
  let schema: TestSchema;
  let bridge: RunningBridge;
  let redis: Redis;
  let url: string;

  before(async () => {
    schema = await createTestSchema();
    ({ bridge, url } = await startFullBridge({
      REDIS_PREFIX: prefix,
      DATABASE_URL: schema.url,
      FUNCTIONS: "user-sync,onboarding-email",
      FUNCTIONS_DIR: noOperatorFunctions(),
      ONBOARDING_DELAY: "1s",
      RETENTION: `${RETENTION_MS}ms`,
      DEDUPE_WINDOW: "1s",
    }));
    redis = await connectRedis(TEST_REDIS_URL);
  });
  after(async () => {
    await bridge?.stop();
    await redis?.quit();
    await dropPrefix(prefix);
    await schema?.drop();
  });

  it("a sign-up's event, runs, steps, waiters, emails and indexes are gone once RETENTION has passed", async () => {
    const payload = clerkFixture("user.created") as { data: Record<string, unknown> };
    const data = {
      ...payload.data,
      id: "user_kept_briefly",
      primary_email_address_id: "idn_1",
      email_addresses: [{ id: "idn_1", email_address: "brief@example.org" }],
    };
    const delivery = signFixture({ ...payload, data });
    assert.equal(
      (await fetch(`${url}/webhooks/clerk`, { method: "POST", headers: delivery.headers, body: delivery.body })).status,
      200,
    );
    const sent = await fetch(`${url}/e/dev`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "app/seen", data: {}, user: { id: "user_kept_briefly" } }),
    });
    assert.equal(sent.status, 200);
    const eventId = delivery.headers["svix-id"];

    // Both runs finish: the drip sleeps ONBOARDING_DELAY (1 s) and sends its second email.
    const deadline = Date.now() + 20_000;
    let statuses: string[] = [];
    while (Date.now() < deadline) {
      const body = (await fetch(`${url}/api/events/${eventId}`).then((r) => r.json())) as {
        runs?: Array<{ status: string }>;
      };
      statuses = (body.runs ?? []).map((run) => run.status);
      if (statuses.length === 2 && statuses.every((status) => status === "completed")) break;
      await sleep(100);
    }
    assert.deepEqual(statuses, ["completed", "completed"]);
    const outbox = (await fetch(`${url}/api/outbox`).then((r) => r.json())) as { messages: unknown[] };
    assert.equal(outbox.messages.length, 2);
    assert.ok((await keysUnder(redis, prefix)).length > KEPT.length, "the sign-up wrote data");

    // RETENTION passes; the sweep runs every second (a tenth of RETENTION, at least a second).
    await sleep(RETENTION_MS + 2500);
    const left = (await keysUnder(redis, prefix)).filter((key) => !KEPT.some((kept) => kept.test(key)));
    assert.deepEqual(left, [], "nothing but configuration and bookkeeping is left");
    for (const stream of [`{${prefix}}:events:events`, `{${prefix}}:runs:events`]) {
      // What is left is the sweep's own note ("cleaned", a count): no job id, no return value.
      const entries = await redis.xrange(stream, "-", "+");
      assert.deepEqual(
        entries.map(([, fields]) => fields[1]).filter((event) => event !== "cleaned"),
        [],
        `${stream} keeps no job's entry older than RETENTION`,
      );
    }
    assert.equal((await fetch(`${url}/api/events/${eventId}`)).status, 404);
    assert.deepEqual(
      ((await fetch(`${url}/api/outbox`).then((r) => r.json())) as { messages: unknown[] }).messages,
      [],
    );
  });
});
