import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { pino } from "pino";
import { toUserRow } from "../../src/functions/clerk-user.ts";
import { createPostgresPool } from "../../src/functions/postgres/create-pool.ts";
import { runMigrations } from "../../src/functions/postgres/migrate.ts";
import { findUser, upsertUser } from "../../src/functions/postgres/users-table.ts";
import { createTestSchema, migratedTestSchema } from "../helpers/pg-schema.ts";
import { userPayload, usersTableContract } from "../helpers/users-table-contract.ts";

const logger = pino({ level: "silent" });
const db = migratedTestSchema();

describe("migrations", () => {
  it("run again, they apply nothing and keep the data", async () => {
    const row = toUserRow(userPayload("user_m", 1), Date.now());
    assert.ok(row);
    await upsertUser(db.pool, row);
    assert.deepEqual(await runMigrations(db.pool, logger), []);
    assert.equal((await findUser(db.pool, "user_m"))?.email, "v1@example.org");
  });

  it("started concurrently, each migration is applied once", async () => {
    const other = await createTestSchema();
    const pools = [1, 2, 3].map(() => createPostgresPool(other.url, logger));
    try {
      const applied = await Promise.all(pools.map((p) => runMigrations(p, logger)));
      assert.deepEqual(applied.flat(), [1]);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
      await other.drop();
    }
  });
});

describe("the users table on PostgreSQL at DATABASE_URL", () => usersTableContract(() => db.pool));
