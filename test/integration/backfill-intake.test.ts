import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { backfillEventId } from "../../src/backfill/backfill-event.ts";
import { createBackfillCommand } from "../../src/cli/backfill-command.ts";
import { runCli } from "../../src/cli/main.ts";
import type { BridgeEvent } from "../../src/events/event-schema.ts";
import { capturedIo } from "../helpers/cli.ts";
import { FAKE_SECRET_KEY, startFakeClerk, type FakeClerk } from "../helpers/fake-clerk-api.ts";
import { unpackEventData } from "../../src/crypto/packed-data.ts";
import { makeTestApp, type TestApp } from "../helpers/test-app.ts";
import { startTestServices } from "../helpers/test-services.ts";
import { TEST_REDIS_URL } from "../helpers/test-redis.ts";

const EVENT_KEY = "backfill-test-key";
/** Retries for a test: the same rules, with backoffs of milliseconds. */
const FAST_RETRY = { attempts: 3, baseMs: 10, maxWaits: 50 };

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The CLI in-process; `retry` swaps in the command with short backoffs (its own error lines, no runCli). */
async function backfill(
  argv: string[],
  env: Record<string, string>,
  options: { fetch?: typeof fetch; fastRetry?: boolean } = {},
): Promise<CliResult> {
  const { io, output } = capturedIo(env, options.fetch ? { fetch: options.fetch } : {});
  const code = options.fastRetry
    ? await createBackfillCommand(FAST_RETRY)(argv, io)
    : await runCli(["backfill", ...argv], io);
  return { code, ...output };
}

/** The events the intake holds, by id. */
async function storedEvents(t: TestApp): Promise<Map<string, BridgeEvent>> {
  const jobs = await t.eventsQueue.getJobs(["waiting", "delayed", "active", "completed"]);
  return new Map(jobs.map((job) => [job.data.id, unpackEventData(job.data as BridgeEvent)]));
}

/** How many events the Event API was handed, duplicates included (its "events accepted" log lines). */
function eventsPosted(t: TestApp): number {
  return t.logs
    .filter((line) => line.msg === "events accepted")
    .reduce((sum, line) => sum + (line.ids as string[]).length, 0);
}

describe("bridge backfill users, through the Event API", () => {
  let clerk: FakeClerk;
  let t: TestApp;
  let server: Server;
  let env: Record<string, string>;
  const dir = mkdtempSync(join(tmpdir(), "backfill-"));

  before(async () => {
    // A 429 with Retry-After: 1 on every 25th request: each run meets a few.
    clerk = await startFakeClerk({ users: 2500, rateLimitEvery: 25 });
    // TRUSTED_EVENT_KEYS: clerk/* names are reserved to the keys listed there.
    t = await makeTestApp({ EVENT_KEYS: EVENT_KEY, TRUSTED_EVENT_KEYS: EVENT_KEY });
    server = t.app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    const port = (server.address() as { port: number }).port;
    env = {
      CLERK_SECRET_KEY: FAKE_SECRET_KEY,
      CLERK_API_URL: clerk.url,
      BRIDGE_URL: `http://127.0.0.1:${port}`,
      EVENT_KEY,
      DATA_DIR: dir,
    };
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    await t.close();
    await clerk.close();
  });

  test("2,500 users become 2,500 clerk/user.backfilled events, ids from id and updated_at, data as Clerk sent it", async () => {
    const result = await backfill(["users"], env);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(clerk.rateLimited > 0, "the fake answered some 429s, which the run waited out");
    assert.match(
      result.stdout,
      /^backfill users: sent 2,500 users as clerk\/user\.backfilled to the Event API at http:\/\/127\.0\.0\.1:\d+ in 26 pages/,
    );
    assert.match(result.stderr, /users: rate limited by Clerk \(429\); retrying in 1s/);
    const events = await storedEvents(t);
    assert.equal(events.size, 2500);
    assert.deepEqual(
      [...events.keys()].sort(),
      clerk.users
        .map((user) => backfillEventId({ id: user.id as string, updatedAt: user.updated_at as number }))
        .sort(),
    );
    const first = events.get(backfillEventId({ id: "user_000001", updatedAt: clerk.users[0]!.updated_at as number }))!;
    assert.equal(first.name, "clerk/user.backfilled");
    assert.deepEqual(first.data, clerk.users[0]);
    assert.equal(first.ts, clerk.users[0]!.updated_at);
    assert.deepEqual(
      clerk.requests.slice(0, 2).map(({ offset, limit, orderBy }) => ({ offset, limit, orderBy })),
      [
        { offset: 0, limit: 100, orderBy: "+created_at" },
        { offset: 99, limit: 100, orderBy: "+created_at" },
      ],
    );
    const state = JSON.parse(readFileSync(join(dir, "backfill-users.json"), "utf8"));
    assert.equal(state.sent, 2500);
    assert.ok(state.finishedAt);
    assert.doesNotMatch(JSON.stringify(state), new RegExp(FAKE_SECRET_KEY), "the key is not in the state file");
  });

  test("a second run adds nothing: the same ids, deduplicated by the intake", async () => {
    const before = eventsPosted(t);
    const result = await backfill(["users"], env);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(eventsPosted(t) - before, 2500, "every user was sent again");
    assert.equal((await storedEvents(t)).size, 2500, "and nothing new was stored");
  });

  test("an interrupted run resumes after the last page the bridge acknowledged, sending nothing twice", async () => {
    const state = join(dir, "interrupted.json");
    const posted = eventsPosted(t);
    clerk.requests.length = 0;
    clerk.failAfter(10);
    let first: CliResult;
    try {
      first = await backfill(["users", "--state", state], env, { fastRetry: true });
    } finally {
      clerk.recover();
    }
    assert.equal(first.code, 1, first.stderr);
    assert.match(
      first.stderr,
      /bridge backfill: stopped: Clerk answered 500 .*Run the same command again to resume from .*interrupted\.json/,
    );
    const saved = JSON.parse(readFileSync(state, "utf8"));
    assert.ok(saved.sent > 0 && saved.sent < 2500, `${saved.sent} users recorded before the failure`);
    assert.equal(saved.sent, eventsPosted(t) - posted, "what the bridge acknowledged is exactly what was recorded");
    assert.equal(saved.finishedAt, undefined);

    clerk.requests.length = 0;
    const second = await backfill(["users", "--state", state], env, { fastRetry: true });
    assert.equal(second.code, 0, second.stderr);
    assert.match(
      second.stdout,
      new RegExp(`\\(resumed at record ${saved.cursor.offset.toLocaleString("en-US")}; 2,500 in all\\)`),
    );
    assert.equal(
      clerk.requests[0]?.offset,
      saved.cursor.offset - 1,
      "the second run starts at the saved cursor (its anchor)",
    );
    assert.equal(eventsPosted(t) - posted, 2500, "each user was sent once over the two runs");
    assert.equal((await storedEvents(t)).size, 2500);
  });

  test("users deleted behind the cursor during the run are not a reason to skip anyone", async () => {
    const state = join(dir, "deletions.json");
    let pages = 0;
    const deleted: string[] = [];
    const everyone = [...clerk.users];
    clerk.beforeList = () => {
      // Before pages 4 to 12, 7 of the oldest users go: the offsets of all later ones shift by 7.
      if (++pages < 4 || pages > 12) return;
      deleted.push(...clerk.users.splice(0, 7).map((user) => user.id as string));
    };
    const posted = eventsPosted(t);
    try {
      const result = await backfill(["users", "--state", state], env);
      assert.equal(result.code, 0, result.stderr);
    } finally {
      clerk.beforeList = undefined;
    }
    const sent = eventsPosted(t) - posted;
    const survivors = [...clerk.users];
    clerk.users.splice(0, Infinity, ...everyone);
    assert.equal(deleted.length, 63);
    assert.ok(sent >= survivors.length && sent <= 2500, `sent ${sent}`);
    const stored = await storedEvents(t);
    const missing = survivors.filter(
      (user) => !stored.has(backfillEventId({ id: user.id as string, updatedAt: user.updated_at as number })),
    );
    assert.deepEqual(missing, []);
  });

  test("--dry-run counts without sending and leaves no state", async () => {
    const noBridge = (() =>
      Promise.reject(new Error("the dry run must not call the bridge"))) as unknown as typeof fetch;
    const result = await backfill(["users", "--dry-run", "--state", join(dir, "dry.json")], env, { fetch: noBridge });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^backfill users \(dry run\): 2,500 users in 26 pages would be sent; nothing was sent/);
    assert.equal(existsSync(join(dir, "dry.json")), false);
  });

  test("a key outside TRUSTED_EVENT_KEYS: one line naming TRUSTED_EVENT_KEYS, and no cursor recorded", async () => {
    // The bridge's answer to clerk/* names from an untrusted key.
    const reserved = (async (url: string) =>
      url.endsWith("/healthz")
        ? Response.json({ status: "ok" })
        : Response.json(
            {
              error: {
                code: "event_name_reserved",
                message: "clerk/* events come only from Clerk's verified webhooks or a trusted key",
              },
            },
            { status: 403 },
          )) as unknown as typeof fetch;
    const result = await backfill(["users", "--state", join(dir, "reserved.json")], env, { fetch: reserved });
    assert.equal(result.code, 2);
    assert.match(
      result.stderr,
      /\(403 event_name_reserved\): add the key to TRUSTED_EVENT_KEYS on the bridge, or backfill with --direct\n$/,
    );
    assert.equal(result.stderr.trim().split("\n").length, 2, "the start line and the error line only");
    assert.equal(existsSync(join(dir, "reserved.json")), false);
  });

  test("an unfinished backfill of another Clerk instance is not resumed", async () => {
    const state = join(dir, "other-instance.json");
    const other = {
      version: 1,
      resource: "users",
      instance: "https://api.clerk.com#0123456789",
      cursor: { offset: 300, lastCreatedAt: 1, lastIds: ["user_x"] },
      sent: 300,
      pages: 3,
      startedAt: "x",
      updatedAt: "x",
    };
    writeFileSync(state, JSON.stringify(other));
    const result = await backfill(["users", "--state", state], env);
    assert.equal(result.code, 2);
    assert.match(
      result.stderr,
      /other-instance\.json was written for another Clerk instance \(CLERK_SECRET_KEY or CLERK_API_URL changed\): pass --restart/,
    );
    assert.deepEqual(JSON.parse(readFileSync(state, "utf8")), other, "the file is left as it was");
  });

  test("a refused CLERK_SECRET_KEY stops at once, naming the variable", async () => {
    const result = await backfill(["users", "--state", join(dir, "refused.json")], {
      ...env,
      CLERK_SECRET_KEY: "sk_test_wrong",
    });
    assert.equal(result.code, 2);
    assert.match(
      result.stderr,
      /^bridge backfill: Clerk refused CLERK_SECRET_KEY \(401: The provided Clerk Secret Key is invalid\.\)/m,
    );
  });
});

describe("bridge backfill --direct", () => {
  test("writes the events into Redis through the bridge's intake, with source backfill", async () => {
    const clerk = await startFakeClerk({ users: 250, organizations: 30 });
    const t = await startTestServices();
    const dir = mkdtempSync(join(tmpdir(), "backfill-direct-"));
    try {
      const env = {
        CLERK_SECRET_KEY: FAKE_SECRET_KEY,
        CLERK_API_URL: clerk.url,
        REDIS_URL: TEST_REDIS_URL,
        REDIS_PREFIX: t.prefix,
        DATA_DIR: dir,
        LOG_LEVEL: "silent",
      };
      const users = await backfill(["users", "--direct"], env);
      assert.equal(users.code, 0, users.stderr);
      assert.match(
        users.stdout,
        new RegExp(`sent 250 users as clerk/user\\.backfilled to Redis \\(prefix ${t.prefix}\\)`),
      );
      const organizations = await backfill(["organizations", "--direct", "--limit-per-page", "10"], env);
      assert.equal(organizations.code, 0, organizations.stderr);

      const jobs = await t.services.queues.events.getJobs(["waiting"]);
      const events = jobs.map((job) => unpackEventData(job.data as BridgeEvent));
      assert.equal(events.filter((event) => event.name === "clerk/user.backfilled").length, 250);
      assert.equal(events.filter((event) => event.name === "clerk/organization.backfilled").length, 30);
      assert.ok(events.every((event) => event.source === "backfill"));
      assert.deepEqual(events.find((event) => event.data.id === "org_000003")?.data, clerk.organizations[2]);
    } finally {
      await t.close();
      await clerk.close();
    }
  });
});
