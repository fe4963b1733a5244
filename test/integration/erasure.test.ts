import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { Redis } from "ioredis";
import { pino } from "pino";
import { loadConfig } from "../../src/config/load-config.ts";
import { connectRedis } from "../../src/redis/connect-redis.ts";
import { createPostgresPool, type Pool } from "../../src/functions/postgres/create-pool.ts";
import { createTestSchema, type TestSchema } from "../helpers/pg-schema.ts";
import { clerkFixture, signFixture } from "../helpers/sign-fixture.ts";
import { noOperatorFunctions, startFullBridge } from "../helpers/full-bridge.ts";
import { deletion, poll, signUp } from "../helpers/signup-harness.ts";
import { dropPrefix, everythingStored, TEST_REDIS_URL, testPrefix } from "../helpers/test-redis.ts";

interface Harness {
  url: string;
  pool: Pool;
  redis: Redis;
  prefix: string;
  deliver(payload: unknown): Promise<string>;
  runsOf(eventId: string): Promise<Array<{ id: string; functionId: string; status: string }>>;
  row(id: string): Promise<Record<string, unknown> | undefined>;
  close(): Promise<void>;
}

/** The whole bridge (startBridge), PostgreSQL at DATABASE_URL, emails in the development outbox. */
async function startHarness(env: Record<string, string> = {}): Promise<Harness> {
  const prefix = testPrefix();
  const schema: TestSchema = await createTestSchema();
  const { bridge, url } = await startFullBridge({
    REDIS_PREFIX: prefix,
    DATABASE_URL: schema.url,
    FUNCTIONS: "user-sync,onboarding-email",
    ONBOARDING_DELAY: "1h",
    FUNCTIONS_DIR: noOperatorFunctions(),
    ...env,
  });
  const pool = createPostgresPool(schema.url, pino({ level: "silent" }));
  const redis = await connectRedis(TEST_REDIS_URL);
  return {
    url,
    pool,
    redis,
    prefix,
    async deliver(payload) {
      const delivery = signFixture(payload);
      const response = await fetch(`${url}/webhooks/clerk`, {
        method: "POST",
        headers: delivery.headers,
        body: delivery.body,
      });
      assert.equal(response.status, 200, await response.text());
      return delivery.headers["svix-id"] as string;
    },
    async runsOf(eventId) {
      const response = await fetch(`${url}/api/events/${eventId}`);
      if (response.status === 404) return [];
      return ((await response.json()) as { runs: Array<{ id: string; functionId: string; status: string }> }).runs;
    },
    async row(id) {
      return (await pool.query("SELECT * FROM users WHERE id = $1", [id])).rows[0];
    },
    async close() {
      await bridge.stop();
      await pool.end();
      await dropPrefix(prefix);
      await redis.quit();
      await schema.drop();
    },
  };
}

const runStatus = (h: Harness, eventId: string, functionId: string, statuses: string[]) =>
  poll(
    async () => (await h.runsOf(eventId)).find((run) => run.functionId === functionId && statuses.includes(run.status)),
    `${functionId} ${statuses.join("/")}`,
  );

describe("erasure: DELETE /api/users/:id and bridge erase-user", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h?.close());

  it("removes the user's events, runs, waiters, outbox mail and profile; keeps id and deleted_at; leaves other users alone", async () => {
    const ada = await h.deliver(signUp("user_ada", "ada@example.org", "Ada"));
    const grace = await h.deliver(signUp("user_grace", "grace@example.org", "Grace"));
    // An Event API event naming Ada in its `user` field, with no function to run.
    const sent = await fetch(`${h.url}/e/dev`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        name: "app/profile.viewed",
        data: { page: "/settings" },
        user: { id: "user_ada", email: "ada@example.org" },
      }),
    });
    assert.equal(sent.status, 200, await sent.text());
    for (const eventId of [ada, grace]) {
      await runStatus(h, eventId, "bridge-user-sync", ["completed"]);
      // Sleeping for ONBOARDING_DELAY: a run still going, with a cancelOn waiter for user.deleted.
      await runStatus(h, eventId, "bridge-onboarding-email", ["sleeping"]);
    }
    assert.equal((await h.row("user_ada"))?.email, "ada@example.org");

    const response = await fetch(`${h.url}/api/users/user_ada`, { method: "DELETE" });
    assert.equal(response.status, 200);
    const { erased } = (await response.json()) as { erased: Record<string, unknown> };
    const { tombstoneUntil, ...counts } = erased;
    assert.deepEqual(counts, {
      userId: "user_ada",
      events: 2,
      runs: 2,
      waiters: 1,
      emails: 1,
      deliveries: 0,
      usersRow: "erased",
    });
    assert.ok(Date.parse(String(tombstoneUntil)) > Date.now(), "and the tombstone it wrote");

    const row = await h.row("user_ada");
    assert.ok(row?.deleted_at instanceof Date, "deleted_at is kept, so a late webhook cannot bring the user back");
    assert.deepEqual(
      { ...row, deleted_at: null },
      {
        id: "user_ada",
        email: null,
        first_name: null,
        last_name: null,
        image_url: null,
        created_at: null,
        updated_at: null,
        deleted_at: null,
        raw: null,
      },
    );
    assert.deepEqual(await h.runsOf(ada), [], "the event is gone");
    assert.equal((await fetch(`${h.url}/api/events/${ada}`)).status, 404);

    const stored = await everythingStored(h.redis, h.prefix);
    for (const personal of ["ada@example.org", "Ada"])
      assert.ok(!stored.includes(personal), `${personal} is nowhere under the prefix`);
    assert.ok(stored.includes("grace@example.org"), "Grace's data stays");
    assert.equal((await h.row("user_grace"))?.email, "grace@example.org");
    assert.equal((await runStatus(h, grace, "bridge-onboarding-email", ["sleeping"])).status, "sleeping");
    const outbox = (await fetch(`${h.url}/api/outbox`).then((r) => r.json())) as { messages: Array<{ to: string }> };
    assert.deepEqual(
      outbox.messages.map((message) => message.to),
      ["grace@example.org"],
    );

    const audit = (await fetch(`${h.url}/api/audit`).then((r) => r.json())) as {
      entries: Array<{ action: string; target: string; details: Record<string, unknown> }>;
    };
    const line = audit.entries.find((entry) => entry.action === "erase");
    assert.equal(line?.target, "user_ada");
    assert.equal(line?.details.events, 2);
  });

  it("is safe to repeat, and a late user.updated cannot bring the profile back", async () => {
    const again = (await fetch(`${h.url}/api/users/user_ada`, { method: "DELETE" }).then((r) => r.json())) as {
      erased: Record<string, unknown>;
    };
    const { tombstoneUntil: _, ...counts } = again.erased;
    assert.deepEqual(counts, {
      userId: "user_ada",
      events: 0,
      runs: 0,
      waiters: 0,
      emails: 0,
      deliveries: 0,
      usersRow: "erased",
    });
    const late = {
      ...clerkFixture("user.updated"),
      data: { ...signUp("user_ada", "ada@example.org", "Ada").data, updated_at: Date.now() },
    };
    const eventId = await h.deliver(late);
    // Answered 200 (h.deliver checks it) and dropped at the intake: the tombstone (erasure-tombstones.test.ts).
    const control = await h.deliver(signUp("user_ctrl", "ctrl@example.org", "Ctrl"));
    await runStatus(h, control, "bridge-user-sync", ["completed"]);
    assert.deepEqual(await h.runsOf(eventId), []);
    assert.equal((await h.row("user_ada"))?.email, null);
  });

  it("an unknown user leaves a tombstone, so a late create is refused too; a malformed id is 404", async () => {
    const { erased } = (await fetch(`${h.url}/api/users/user_never`, { method: "DELETE" }).then((r) => r.json())) as {
      erased: Record<string, unknown>;
    };
    assert.equal(erased.usersRow, "tombstoned");
    assert.equal((await fetch(`${h.url}/api/users/${"x".repeat(300)}`, { method: "DELETE" })).status, 404);
  });

  it("bridge erase-user prints what it erased", async () => {
    const { runCli } = await import("../../src/cli/main.ts");
    const linus = await h.deliver(signUp("user_linus", "linus@example.org", "Linus"));
    await runStatus(h, linus, "bridge-user-sync", ["completed"]);
    await runStatus(h, linus, "bridge-onboarding-email", ["sleeping"]);
    let out = "";
    const io = {
      env: { BRIDGE_URL: h.url },
      fetch,
      stdin: process.stdin,
      stdout: { write: (chunk: string) => ((out += chunk), true) },
      stderr: { write: () => true },
    } as unknown as Parameters<typeof runCli>[1];
    assert.equal(await runCli(["erase-user", "user_linus"], io), 0);
    assert.match(
      out,
      /^erased user_linus: 1 events, 2 runs, 1 waiters, 1 outbox emails, 0 kept webhook payloads; users row: erased; tombstone written, refusing their events until \d{4}-\d\d-\d\dT[\d:.]+Z\n$/,
    );
  });
});

/** A signed body Clerk's template refuses (no string `type`): 422, and its verified payload is kept for a re-run. */
async function refusedDelivery(h: Harness, userId: string, email: string): Promise<string> {
  const delivery = signFixture({ type: 42, data: { user_id: userId, email_address: email } });
  const response = await fetch(`${h.url}/webhooks/clerk`, {
    method: "POST",
    headers: delivery.headers,
    body: delivery.body,
  });
  assert.equal(response.status, 422);
  const page = await poll(async () => {
    const body = (await fetch(`${h.url}/api/deliveries?outcome=transform_failed`).then((r) => r.json())) as {
      deliveries: Array<{ id: string; svixId?: string; rerunnable?: boolean }>;
    };
    return body.deliveries.find((entry) => entry.svixId === delivery.headers["svix-id"] && entry.rerunnable);
  }, "the refused delivery in the log");
  return page.id;
}

describe("erasure of refused webhook payloads, sealed at rest", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ ENCRYPTION_KEY: randomBytes(32).toString("base64") });
  });
  after(() => h?.close());

  it("a 422's kept payload is sealed in Redis, shown opened to the operator, and erased with its log entry", async () => {
    const id = await refusedDelivery(h, "user_zed", "zed@example.org");
    assert.ok(!(await everythingStored(h.redis, h.prefix)).includes("zed@example.org"), "sealed at rest");
    const shown = (await fetch(`${h.url}/api/deliveries/${id}`).then((r) => r.json())) as {
      payload?: { data?: { email_address?: string } };
    };
    assert.equal(shown.payload?.data?.email_address, "zed@example.org");
    await refusedDelivery(h, "user_other", "other@example.org");

    const { erased } = (await fetch(`${h.url}/api/users/user_zed`, { method: "DELETE" }).then((r) => r.json())) as {
      erased: Record<string, unknown>;
    };
    assert.equal(erased.deliveries, 1);
    assert.equal((await fetch(`${h.url}/api/deliveries/${id}`)).status, 404);
    const left = (await fetch(`${h.url}/api/deliveries?outcome=transform_failed`).then((r) => r.json())) as {
      deliveries: unknown[];
    };
    assert.equal(left.deliveries.length, 1, "another user's refused delivery stays");
  });
});

describe("ERASE_ON_DELETE=true", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ ERASE_ON_DELETE: "true" });
  });
  after(() => h?.close());

  it("after user-sync handles clerk/user.deleted, the user's earlier events, runs and mail are erased and the row keeps only id and deleted_at", async () => {
    const created = await h.deliver(signUp("user_bob", "bob@example.org", "Bob"));
    await runStatus(h, created, "bridge-onboarding-email", ["sleeping"]);
    const deleted = await h.deliver(deletion("user_bob"));
    const run = await runStatus(h, deleted, "bridge-user-sync", ["completed", "failed"]);
    const detail = (await fetch(`${h.url}/api/runs/${run.id}`).then((r) => r.json())) as {
      run: { status: string; output: { erased: Record<string, unknown> } };
    };
    assert.equal(detail.run.status, "completed");
    assert.equal(detail.run.output.erased.events, 1, "the user.created event; the user.deleted being handled is kept");
    assert.equal(detail.run.output.erased.emails, 1);
    assert.equal((await fetch(`${h.url}/api/events/${created}`)).status, 404);
    const row = await h.row("user_bob");
    assert.equal(row?.email, null);
    assert.equal(row?.raw, null);
    assert.ok(row?.deleted_at instanceof Date);
    assert.ok(!(await everythingStored(h.redis, h.prefix)).includes("bob@example.org"));
  });

  it("without user-sync the setting is refused at start, naming it", () => {
    assert.throws(
      () => loadConfig({ ERASE_ON_DELETE: "true", FUNCTIONS: "onboarding-email" }),
      /ERASE_ON_DELETE: needs user-sync/,
    );
    assert.throws(() => loadConfig({ ERASE_ON_DELETE: "yes" }), /ERASE_ON_DELETE: must be true or false/);
  });
});
