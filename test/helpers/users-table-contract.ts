import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";
import fc from "fast-check";
import { toUserRow, type ClerkUserData } from "../../src/functions/clerk-user.ts";
import type { Pool } from "../../src/functions/postgres/create-pool.ts";
import { countUsers, findUser, markUserDeleted, upsertUser } from "../../src/functions/postgres/users-table.ts";

/**
 * What user-sync's SQL promises, whatever PostgreSQL runs it: a server at DATABASE_URL or the
 * embedded one. `pool` is read when each test runs, so the caller may create it in `before`;
 * the users table must exist by then.
 */
export function usersTableContract(pool: () => Pool): void {
  const write = async (data: ClerkUserData) => {
    const row = toUserRow(data, Date.now());
    assert.ok(row);
    return upsertUser(pool(), row);
  };

  beforeEach(async () => {
    await pool().query("TRUNCATE users");
  });

  describe("user-sync writes to the users table", () => {
    it("created then updated: the row holds the update", async () => {
      assert.equal(await write(userPayload("user_a", 1)), "inserted");
      assert.equal(await write(userPayload("user_a", 2, { first_name: "Ada" })), "updated");
      const row = await findUser(pool(), "user_a");
      assert.equal(row?.first_name, "Ada");
      assert.equal(row?.email, "v2@example.org");
      assert.deepEqual(row?.updated_at, new Date(1_700_000_002_000));
      assert.deepEqual(row?.created_at, new Date(1_700_000_000_000));
      assert.equal(row?.deleted_at, null);
      assert.equal((row?.raw as ClerkUserData).first_name, "Ada");
    });

    it("an older updated_at arriving last never overwrites the newer row", async () => {
      await write(userPayload("user_b", 3));
      assert.equal(await write(userPayload("user_b", 2)), "stale");
      assert.equal(await write(userPayload("user_b", 1)), "stale");
      assert.equal((await findUser(pool(), "user_b"))?.email, "v3@example.org");
    });

    it("user.deleted sets deleted_at and keeps the last known profile", async () => {
      await write(userPayload("user_c", 1));
      const when = new Date(1_700_000_100_000);
      assert.equal(await markUserDeleted(pool(), "user_c", when), "deleted");
      const row = await findUser(pool(), "user_c");
      assert.deepEqual(row?.deleted_at, when);
      assert.equal(row?.email, "v1@example.org");
    });

    it("a late user.updated never brings back a deleted user", async () => {
      await write(userPayload("user_d", 1));
      await markUserDeleted(pool(), "user_d", new Date(1_700_000_001_500));
      assert.equal(await write(userPayload("user_d", 9)), "deleted");
      const row = await findUser(pool(), "user_d");
      assert.notEqual(row?.deleted_at, null);
      assert.equal(row?.email, "v1@example.org");
    });

    it("a delete delivered before the create leaves a tombstone the create cannot revive", async () => {
      assert.equal(await markUserDeleted(pool(), "user_e", new Date(1_700_000_000_500)), "deleted");
      assert.equal(await write(userPayload("user_e", 1)), "deleted");
      const row = await findUser(pool(), "user_e");
      assert.notEqual(row?.deleted_at, null);
      assert.equal(row?.email, null);
    });

    it("a redelivered delete keeps the first deleted_at", async () => {
      const first = new Date(1_700_000_000_100);
      await markUserDeleted(pool(), "user_f", first);
      assert.equal(await markUserDeleted(pool(), "user_f", new Date(1_700_000_009_000)), "already-deleted");
      assert.deepEqual((await findUser(pool(), "user_f"))?.deleted_at, first);
    });

    it("a user without any email address is stored with a null email", async () => {
      await write(userPayload("user_g", 1, { email_addresses: [], primary_email_address_id: null }));
      assert.equal((await findUser(pool(), "user_g"))?.email, null);
    });

    it("countUsers counts the users not deleted, tombstones excluded", async () => {
      assert.equal(await countUsers(pool()), 0);
      for (const id of ["user_h1", "user_h2", "user_h3"]) await write(userPayload(id, 1));
      await markUserDeleted(pool(), "user_h2", new Date(1_700_000_005_000));
      await markUserDeleted(pool(), "user_never_created", new Date(1_700_000_005_000));
      assert.equal(await countUsers(pool()), 2);
    });
  });

  describe("deliveries in any order (property)", () => {
    it("whatever the order of created/updated deliveries, the final row is the newest state", async () => {
      let run = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 6 }).chain((count) => permutationOf(count - 1)),
          fc.boolean(),
          async (order, concurrent) => {
            const count = order.length;
            const id = `user_p${run++}`;
            const versions = order.map((index) => userPayload(id, index + 1));
            // Sequential deliveries test ordering; concurrent ones also test the race between two workers.
            if (concurrent) await Promise.all(versions.map(write));
            else for (const version of versions) await write(version);
            const row = await findUser(pool(), id);
            assert.equal(row?.email, `v${count}@example.org`);
            assert.equal(row?.first_name, `First ${count}`);
            assert.deepEqual(row?.updated_at, new Date(1_700_000_000_000 + count * 1000));
            assert.equal(row?.deleted_at, null);
          },
        ),
        { numRuns: 60 },
      );
    });

    it("with a user.deleted anywhere in the order, the user ends deleted", async () => {
      let run = 0;
      await fc.assert(
        // Positions 0..count-1 are versions 1..count; position `count` is the user.deleted.
        fc.asyncProperty(fc.integer({ min: 1, max: 5 }).chain(permutationOf), async (order) => {
          const id = `user_q${run++}`;
          const count = order.length - 1;
          for (const index of order) {
            if (index === count) await markUserDeleted(pool(), id, new Date(1_700_000_000_000 + 50_000));
            else await write(userPayload(id, index + 1));
          }
          const row = await findUser(pool(), id);
          assert.deepEqual(row?.deleted_at, new Date(1_700_000_050_000));
        }),
        { numRuns: 40 },
      );
    });
  });
}

/** A Clerk user payload at `version`: email v<version>@example.org, updated_at 1 s per version. */
export function userPayload(id: string, version: number, extra: ClerkUserData = {}): ClerkUserData {
  return {
    id,
    first_name: `First ${version}`,
    last_name: "Lovelace",
    image_url: `https://img.example/${version}`,
    primary_email_address_id: "idn_1",
    email_addresses: [{ id: "idn_1", email_address: `v${version}@example.org` }],
    created_at: 1_700_000_000_000,
    updated_at: 1_700_000_000_000 + version * 1000,
    ...extra,
  };
}

/** A shuffled order of 0..last, every index exactly once. */
function permutationOf(last: number): fc.Arbitrary<number[]> {
  const all = [...Array(last + 1).keys()];
  return fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length });
}
