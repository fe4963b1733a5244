import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { backfillEventId } from "../../src/backfill/backfill-event.ts";
import { eventJobId } from "../../src/queue/event-jobs.ts";
import { runCapturedCli } from "../helpers/cli.ts";
import { FAKE_SECRET_KEY, startFakeClerk, type FakeClerk } from "../helpers/fake-clerk-api.ts";
import { startTestServices, type TestServices } from "../helpers/test-services.ts";
import { TEST_REDIS_URL } from "../helpers/test-redis.ts";

/** Issue 19, High 1: `bridge backfill` must honour tombstones too (Clerk's own list may still name an erased user). */
describe("bridge backfill users --direct and erased users", () => {
  let t: TestServices;
  let clerk: FakeClerk;
  before(async () => {
    t = await startTestServices({ DEDUPE_WINDOW: "1h", RETENTION: "1h" });
    clerk = await startFakeClerk({ users: 6 });
  });
  after(async () => {
    await clerk?.close();
    await t?.close();
  });

  it("stores the users Clerk lists, except those erased here", async () => {
    const erased = clerk.users.slice(0, 2).map((user) => user.id as string);
    for (const id of erased) await t.services.tombstones.write(id);
    const { code, stderr } = await runCapturedCli(["backfill", "users", "--direct"], {
      CLERK_SECRET_KEY: FAKE_SECRET_KEY,
      CLERK_API_URL: clerk.url,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: t.prefix,
      DEDUPE_WINDOW: "1h",
      RETENTION: "1h",
      DATA_DIR: mkdtempSync(join(tmpdir(), "backfill-tombstones-")),
      LOG_LEVEL: "silent",
    });
    assert.equal(code, 0, stderr);
    for (const user of clerk.users) {
      const id = backfillEventId({ id: user.id as string, updatedAt: user.updated_at as number });
      const job = await t.services.queues.events.getJob(eventJobId(id));
      assert.equal(
        job === undefined,
        erased.includes(user.id as string),
        `${user.id as string}: ${job ? "stored" : "not stored"}`,
      );
    }
    assert.equal(await t.services.tombstones.isErased(erased[0]!), true);
    assert.equal(await t.services.tombstones.isErased(clerk.users[3]!.id as string), false);
  });
});
