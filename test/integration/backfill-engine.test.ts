import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, it } from "node:test";
import { backfillEventId } from "../../src/backfill/backfill-event.ts";
import { createFunction, type BridgeFunction, type RunState } from "../../src/client/index.ts";
import { createOnboardingEmail } from "../../src/functions/onboarding-email.ts";
import { countUsers, findUser } from "../../src/functions/postgres/users-table.ts";
import { createUserSync } from "../../src/functions/user-sync.ts";
import { runCapturedCli } from "../helpers/cli.ts";
import { engineForEachTest, type TestEngine } from "../helpers/engine-harness.ts";
import { FAKE_SECRET_KEY, fakeUser, startFakeClerk, type FakeClerk } from "../helpers/fake-clerk-api.ts";
import { migratedTestSchema } from "../helpers/pg-schema.ts";
import { smtpForTests } from "../helpers/smtp-test-server.ts";
import { TEST_REDIS_URL } from "../helpers/test-redis.ts";
import { waitFor } from "../helpers/wait-until.ts";

/**
 * The backfill end to end: the CLI reads the fake Backend API and writes through the bridge's
 * intake (--direct, onto the engine's Redis prefix), and the engine's functions run on it.
 */

const FROM = "Team <team@bridge.example>";
const mail = smtpForTests(FROM);
let clerk: FakeClerk | undefined;
const startEngine = engineForEachTest();
afterEach(async () => {
  await clerk?.close();
  clerk = undefined;
});

const onboarding = () => createOnboardingEmail({ mailer: mail.mailer, delayMs: 60_000, from: FROM });

/** A function that only remembers the backfilled events it was given. */
function recorder(seen: Map<string, Record<string, unknown>>): BridgeFunction {
  return createFunction(
    { id: "backfill-recorder", triggers: [{ event: "clerk/user.backfilled" }] },
    async ({ event }) => {
      seen.set(event.id, event.data);
      return { id: event.data.id };
    },
  );
}

async function backfillUsers(engine: TestEngine, users: number): Promise<void> {
  clerk = await startFakeClerk({ users, rateLimitEvery: 40 });
  const { code, stderr } = await runCapturedCli(["backfill", "users", "--direct"], {
    CLERK_SECRET_KEY: FAKE_SECRET_KEY,
    CLERK_API_URL: clerk.url,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: engine.prefix,
    DEDUPE_WINDOW: "1h",
    RETENTION: "1h",
    DATA_DIR: mkdtempSync(join(tmpdir(), "backfill-engine-")),
    LOG_LEVEL: "silent",
  });
  assert.equal(code, 0, stderr);
}

/** Polls every 50 ms until `ready` holds: a backfill of thousands of users takes its time. */
const until = (what: string, ready: () => Promise<boolean> | boolean) =>
  waitFor(ready, (done) => done, `timed out waiting until ${what}`, 60_000, 50);

const idOf = (user: Record<string, unknown>) =>
  backfillEventId({ id: user.id as string, updatedAt: user.updated_at as number });

describe("backfilled users on the engine", () => {
  it("reach the functions that listen for clerk/user.backfilled; onboarding-email starts nothing", async () => {
    const seen = new Map<string, Record<string, unknown>>();
    const engine = await startEngine([recorder(seen), onboarding()]);
    await backfillUsers(engine, 500);
    await until("the recorder saw 500 users", () => seen.size === 500);
    const first = clerk!.users[0]!;
    assert.deepEqual(seen.get(idOf(first)), first, "data is the Backend API JSON, the webhook's shape");
    const runs = await engine.store.listRunsForEvent(idOf(first));
    assert.deepEqual(
      runs.map((run) => run.functionId),
      ["backfill-recorder"],
    );
    assert.deepEqual((await engine.store.listRuns({ functionId: "bridge-onboarding-email", limit: 10 })).items, []);
    assert.equal(mail.smtp.received.length, 0, "nobody is welcomed for an old account");
  });

  describe("with user-sync", () => {
    const db = migratedTestSchema();

    /*
     * Needs user-sync to handle clerk/user.backfilled (same upsert, same ordering guard) and
     * onboarding-email not to: until then this test fails at "user-sync ran no run".
     */
    it("2,500 users give 2,500 rows; a webhook newer than the snapshot keeps its version; a deleted user stays deleted", async () => {
      const seen = new Map<string, Record<string, unknown>>();
      const engine = await startEngine([createUserSync({ pool: db.pool }), onboarding(), recorder(seen)]);
      // Users 7 and 9 as the backfill will read them.
      const [user7, user9] = [fakeUser(7), fakeUser(9)];
      // Before the backfill runs: user 7 changed (its webhook is newer than what the backfill
      // will read), and user 9 was deleted (the backfill still lists them: its page was older).
      const newer7 = { ...user7, first_name: "Changed", updated_at: (user7.updated_at as number) + 60_000 };
      await engine.send({ id: "webhook-7", name: "clerk/user.updated", data: newer7, ts: newer7.updated_at as number });
      await engine.send({
        id: "webhook-9",
        name: "clerk/user.deleted",
        data: { id: user9.id, object: "user", deleted: true },
      });
      for (const id of ["webhook-7", "webhook-9"])
        assert.equal(
          (await engine.waitForRun(engine.runId("bridge-user-sync", id), ["completed", "failed"])).status,
          "completed",
        );

      await backfillUsers(engine, 2500);
      await until("every backfilled event was routed", () => seen.size === 2500);
      const ids = clerk!.users.map(idOf);
      const userSyncRuns = await engine.store.getRuns(ids.map((id) => engine.runId("bridge-user-sync", id)));
      assert.ok(
        userSyncRuns.every(Boolean),
        `user-sync ran no run for ${userSyncRuns.filter((run) => !run).length} of 2,500 clerk/user.backfilled events: it must handle them`,
      );
      await until("user-sync finished every backfilled user", async () => {
        const runs = await engine.store.getRuns(ids.map((id) => engine.runId("bridge-user-sync", id)));
        return runs.every((run) => run && ["completed", "failed"].includes(run.status));
      });
      const runs = (await engine.store.getRuns(ids.map((id) => engine.runId("bridge-user-sync", id)))) as RunState[];
      assert.deepEqual(
        runs.filter((run) => run.status !== "completed").map((run) => run.error),
        [],
      );

      // A webhook after the backfilled copy was written: the newer version wins from that side too.
      const user8 = clerk!.users[7]!;
      const newer8 = { ...user8, first_name: "Later", updated_at: (user8.updated_at as number) + 60_000 };
      await engine.send({ id: "webhook-8", name: "clerk/user.updated", data: newer8, ts: newer8.updated_at as number });
      await engine.waitForRun(engine.runId("bridge-user-sync", "webhook-8"), "completed");

      const { rows } = await db.pool.query<{ count: string }>("SELECT count(*) AS count FROM users");
      assert.equal(Number(rows[0]?.count), 2500, "one row per user");
      assert.equal(await countUsers(db.pool), 2499, "all but the deleted one");
      assert.equal(
        (await findUser(db.pool, user7.id as string))?.first_name,
        "Changed",
        "the older backfilled copy did not overwrite the webhook",
      );
      assert.equal((await findUser(db.pool, user8.id as string))?.first_name, "Later");
      assert.ok((await findUser(db.pool, user9.id as string))?.deleted_at, "the deleted user stays deleted");
      const user1 = await findUser(db.pool, "user_000001");
      assert.equal(user1?.email, "user1@example.org");
      assert.deepEqual(user1?.raw, clerk!.users[0]);
      assert.deepEqual((await engine.store.listRuns({ functionId: "bridge-onboarding-email", limit: 10 })).items, []);
    });
  });
});
