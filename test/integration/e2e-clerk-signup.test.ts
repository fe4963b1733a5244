import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { pino } from "pino";
import { loadConfig } from "../../src/config/load-config.ts";
import { createPostgresPool, type Pool } from "../../src/functions/postgres/create-pool.ts";
import { findUser, type StoredUser } from "../../src/functions/postgres/users-table.ts";
import { startBridge, type RunningBridge } from "../../src/app/start-bridge.ts";
import { startFullBridge } from "../helpers/full-bridge.ts";
import { createTestSchema, type TestSchema } from "../helpers/pg-schema.ts";
import { clerkFixture, signFixture, TEST_SECRET } from "../helpers/sign-fixture.ts";
import { startTestSmtpServer, type TestSmtpServer } from "../helpers/smtp-test-server.ts";
import { dropPrefix, TEST_REDIS_URL, testPrefix } from "../helpers/test-redis.ts";
import { captureLogs } from "../helpers/test-services.ts";
import { poll } from "../helpers/wait-until.ts";

const SHIPPED_FUNCTIONS = resolve(fileURLToPath(import.meta.url), "../../../functions");

/**
 * The whole path, as an operator runs it: startBridge (start-bridge.ts) with both roles, a signed Clerk
 * user.created at the HTTP front door, PostgreSQL and an SMTP server at the other end.
 */
describe("a Clerk sign-up, end to end", () => {
  const prefix = testPrefix();
  let schema: TestSchema;
  let smtp: TestSmtpServer;
  let bridge: RunningBridge;
  let pool: Pool;
  let baseUrl: string;

  before(async () => {
    schema = await createTestSchema();
    smtp = await startTestSmtpServer();
    ({ bridge, url: baseUrl } = await startFullBridge({
      REDIS_PREFIX: prefix,
      DATABASE_URL: schema.url,
      SMTP_URL: smtp.url,
      SMTP_FROM: "Team <team@bridge.example>",
      ONBOARDING_DELAY: "2s",
      FUNCTIONS_DIR: SHIPPED_FUNCTIONS,
    }));
    pool = createPostgresPool(schema.url, pino({ level: "silent" }));
  });
  after(async () => {
    await bridge?.stop();
    await pool?.end();
    await smtp?.close();
    await schema?.drop();
    await dropPrefix(prefix);
  });

  it("a signed user.created gives the users row, the welcome email, and after ONBOARDING_DELAY the trial offer", async () => {
    const delivery = signFixture(clerkFixture("user.created"));
    const response = await fetch(`${baseUrl}/webhooks/clerk`, {
      method: "POST",
      headers: delivery.headers,
      body: delivery.body,
    });
    assert.equal(response.status, 200, await response.clone().text());

    const row = await poll(() => findUser(pool, "user_29w83sxmDNGwOuEthce5gg56FcC"), "the user's row");
    assert.deepEqual(pick(row), {
      email: "example@example.org",
      first_name: "Example",
      last_name: "Example",
      image_url: "https://img.clerk.com/xxxxxx",
      created_at: new Date(1654012591514),
      updated_at: new Date(1654012591835),
      deleted_at: null,
    });

    const [welcome] = await smtp.waitFor(1);
    assert.equal(welcome?.subject, "Welcome aboard");
    assert.deepEqual(welcome?.to, ["example@example.org"]);
    assert.match(welcome?.raw ?? "", /Hi Example,/);

    const emails = await smtp.waitFor(2, 30_000);
    assert.deepEqual(
      emails.map((email) => email.subject),
      ["Welcome aboard", "Your trial, extended"],
    );

    // Svix redelivers the same message (same svix-id): nothing more is written or sent.
    const again = await fetch(`${baseUrl}/webhooks/clerk`, {
      method: "POST",
      headers: delivery.headers,
      body: delivery.body,
    });
    assert.equal(again.status, 200);
    const eventId = delivery.headers["svix-id"];
    const { runs } = (await fetch(`${baseUrl}/api/events/${eventId}`).then((r) => r.json())) as {
      runs: Array<{ functionId: string; status: string }>;
    };
    assert.deepEqual(runs.map((run) => [run.functionId, run.status]).sort(), [
      ["bridge-onboarding-email", "completed"],
      ["bridge-user-sync", "completed"],
      ["my-app-example-log-signups", "completed"],
    ]);
    assert.equal(smtp.received.length, 2);
    assert.deepEqual(await fetch(`${baseUrl}/api/users/count`).then((r) => r.json()), { count: 1 });
  });
});

/**
 * `npm start` on a fresh machine: no DATABASE_URL, and user-sync still mirrors users, into the
 * embedded PostgreSQL under DATA_DIR, through the same pg code.
 */
describe("a sign-up with no DATABASE_URL", () => {
  const prefix = testPrefix();
  const dataDir = mkdtempSync(join(tmpdir(), "cwb-data-"));
  const { logger, lines: logs } = captureLogs<{ msg: string; level: number }>("info");
  let bridge: RunningBridge;
  let baseUrl: string;

  before(
    async () => {
      const config = loadConfig({
        PORT: "0",
        HOST: "127.0.0.1",
        REDIS_URL: TEST_REDIS_URL,
        REDIS_PREFIX: prefix,
        CLERK_WEBHOOK_SECRET: TEST_SECRET,
        DATA_DIR: dataDir,
        FUNCTIONS: "user-sync",
        FUNCTIONS_DIR: SHIPPED_FUNCTIONS,
        LOG_LEVEL: "info",
      });
      bridge = await startBridge(config, logger);
      baseUrl = `http://127.0.0.1:${(bridge.server.address() as AddressInfo).port}`;
    },
    { timeout: 120_000 },
  );
  after(async () => {
    await bridge?.stop();
    await dropPrefix(prefix);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("mirrors the user to the embedded PostgreSQL in DATA_DIR/pglite, and says so at start", async () => {
    const warning = logs.find((line) => line.level === 40 && line.msg.startsWith("database: DATABASE_URL is not set"));
    assert.match(
      warning?.msg ?? "",
      new RegExp(`embedded PostgreSQL \\(PGlite\\) in ${dataDir}/pglite.*In production set DATABASE_URL`),
    );
    const delivery = signFixture(clerkFixture("user.created"));
    assert.equal(
      (await fetch(`${baseUrl}/webhooks/clerk`, { method: "POST", headers: delivery.headers, body: delivery.body }))
        .status,
      200,
    );
    const count = await poll(async () => {
      const { count } = (await fetch(`${baseUrl}/api/users/count`).then((r) => r.json())) as { count: number };
      return count > 0 ? count : null;
    }, "a user counted");
    assert.equal(count, 1);
  });
});

function pick(row: StoredUser) {
  const { email, first_name, last_name, image_url, created_at, updated_at, deleted_at } = row;
  return { email, first_name, last_name, image_url, created_at, updated_at, deleted_at };
}
