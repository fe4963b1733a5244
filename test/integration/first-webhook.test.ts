import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { pino } from "pino";
import { createPostgresPool } from "../../src/functions/postgres/create-pool.ts";
import { startEmbeddedPostgres } from "../../src/functions/postgres/embedded-postgres.ts";
import { findUser } from "../../src/functions/postgres/users-table.ts";
import { spawnBridge, stopBridge, type BridgeProcess } from "../helpers/bridge-process.ts";
import { clerkFixture, signFixture, TEST_SECRET } from "../helpers/sign-fixture.ts";
import { dropPrefix, testPrefix, TEST_REDIS_URL } from "../helpers/test-redis.ts";
import { waitFor } from "../helpers/wait-until.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** `npx bridge <args>` as a user runs it: bin/bridge.js in a process of its own. */
function bridgeCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["bin/bridge.js", ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH!, ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const field = (output: string, name: string) => new RegExp(`^${name}: (.+)$`, "m").exec(output)?.[1] ?? "";

const until = async <T>(read: () => Promise<T | undefined>, what: string, timeoutMs = 60_000) =>
  (await waitFor(read, (value) => value !== undefined, `${what} never happened`, timeoutMs, 100)) as T;

const getJson = async (url: string) => (await fetch(url)).json() as Promise<any>;

/**
 * The first hour, as the README gives it: `npm start` on a fresh clone (no CLERK_WEBHOOK_SECRET,
 * no DATABASE_URL, no SMTP_URL), then `npx bridge trigger user.created`.
 */
describe("npx bridge trigger user.created against a fresh start", () => {
  const prefix = testPrefix();
  const dataDir = mkdtempSync(join(tmpdir(), "cwb-first-hour-"));
  let bridge: BridgeProcess | undefined;
  after(async () => {
    if (bridge) await stopBridge(bridge);
    await dropPrefix(prefix);
    rmSync(dataDir, { recursive: true, force: true });
  });

  test(
    "gives a users row, the runs, and the welcome email in the development outbox",
    { timeout: 240_000 },
    async () => {
      bridge = await spawnBridge(
        { REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix, DATA_DIR: dataDir, LOG_LEVEL: "info", LOG_FORMAT: "json" },
        "all",
      );
      await until(async () => ((await fetch(`${bridge!.url}/readyz`)).ok ? true : undefined), "readiness");
      assert.match(
        bridge.output(),
        new RegExp(
          `"msg":"webhooks: CLERK_WEBHOOK_SECRET is not set: created a local signing secret in ${dataDir}/clerk-webhook-secret; /webhooks/clerk verifies with it`,
        ),
      );
      assert.doesNotMatch(
        bridge.output(),
        /CLERK_WEBHOOK_SECRET is not set: every \/webhooks\/clerk delivery will be rejected/,
      );

      const trigger = await bridgeCli(["trigger", "user.created"], { BRIDGE_URL: bridge.url, DATA_DIR: dataDir });
      assert.equal(trigger.code, 0, trigger.stderr);
      const eventId = field(trigger.stdout, "event");
      const userId = field(trigger.stdout, "data.id");
      assert.match(trigger.stdout, new RegExp(`signed with the local secret in ${dataDir}/clerk-webhook-secret`));
      assert.equal(field(trigger.stdout, "dashboard"), `${bridge.url}/#/events/${eventId}`);

      const runs = await until(async () => {
        const { runs } = await getJson(`${bridge!.url}/api/runs?event=${encodeURIComponent(eventId)}`);
        const done = runs.filter((run: { status: string }) => ["completed", "sleeping"].includes(run.status));
        return done.length === 3 ? runs : undefined;
      }, "the event's runs");
      assert.deepEqual(runs.map((run: { functionId: string; status: string }) => [run.functionId, run.status]).sort(), [
        ["bridge-onboarding-email", "sleeping"],
        ["bridge-user-sync", "completed"],
        ["my-app-example-log-signups", "completed"],
      ]);
      const { messages } = await getJson(`${bridge.url}/api/outbox`);
      assert.deepEqual(
        messages.map((mail: { to: string; subject: string }) => [mail.to, mail.subject]),
        [["example@example.org", "Welcome aboard"]],
      );
      assert.deepEqual(await getJson(`${bridge.url}/api/users/count`), { count: 1 });

      // The embedded database is one process's: read the row once the bridge has let it go.
      assert.equal(await stopBridge(bridge), 0);
      bridge = undefined;
      const logger = pino({ level: "silent" });
      const embedded = await startEmbeddedPostgres({ dataDir, logger });
      const pool = createPostgresPool(embedded.url, logger, embedded.poolOptions);
      try {
        const row = await findUser(pool, userId);
        assert.equal(row?.email, "example@example.org");
        assert.equal(row?.first_name, "Example");
      } finally {
        await pool.end();
        await embedded.close();
      }
    },
  );
});

describe("the local secret across processes", () => {
  const prefix = testPrefix();
  const dataDir = mkdtempSync(join(tmpdir(), "cwb-local-secret-"));
  const bridges: BridgeProcess[] = [];
  after(async () => {
    await Promise.all(bridges.map((bridge) => stopBridge(bridge)));
    await dropPrefix(prefix);
    rmSync(dataDir, { recursive: true, force: true });
  });

  test(
    "two receivers started together on one DATA_DIR verify with the one secret the CLI signs with",
    { timeout: 120_000 },
    async () => {
      const env = { REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix, DATA_DIR: dataDir, FUNCTIONS: "none" };
      bridges.push(...(await Promise.all([spawnBridge(env, "receiver"), spawnBridge(env, "receiver")])));
      for (const bridge of bridges) {
        const trigger = await bridgeCli(["trigger", "session.created"], { BRIDGE_URL: bridge.url, DATA_DIR: dataDir });
        assert.equal(trigger.code, 0, `${trigger.stdout}${trigger.stderr}`);
      }
      assert.match(readFileSync(join(dataDir, "clerk-webhook-secret"), "utf8"), /^whsec_[A-Za-z0-9+/]{32}\n$/);
    },
  );
});

describe("under NODE_ENV=production", () => {
  const prefix = testPrefix();
  const dataDir = mkdtempSync(join(tmpdir(), "cwb-production-"));
  let bridge: BridgeProcess | undefined;
  after(async () => {
    if (bridge) await stopBridge(bridge);
    await dropPrefix(prefix);
    rmSync(dataDir, { recursive: true, force: true });
  });

  test(
    "an unset CLERK_WEBHOOK_SECRET stays a refusal: no local secret, and a 401 naming the variable",
    { timeout: 120_000 },
    async () => {
      bridge = await spawnBridge(
        {
          NODE_ENV: "production",
          REDIS_URL: TEST_REDIS_URL,
          REDIS_PREFIX: prefix,
          DATA_DIR: dataDir,
          FUNCTIONS: "none",
        },
        "receiver",
      );
      const delivery = signFixture(clerkFixture("user.created"), { secret: TEST_SECRET });
      const response = await fetch(`${bridge.url}/webhooks/clerk`, {
        method: "POST",
        headers: delivery.headers,
        body: delivery.body,
      });
      assert.equal(response.status, 401);
      const { error } = (await response.json()) as { error: { code: string; message: string } };
      assert.equal(error.code, "signature_invalid");
      assert.match(error.message, /^CLERK_WEBHOOK_SECRET is not set/);
      assert.equal(existsSync(join(dataDir, "clerk-webhook-secret")), false);
      assert.match(
        bridge.output(),
        /CLERK_WEBHOOK_SECRET is not set: every \/webhooks\/clerk delivery will be rejected with 401/,
      );
    },
  );
});
