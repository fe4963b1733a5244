import { randomUUID } from "node:crypto";
import pg from "pg";
import { pino } from "pino";
import { createPostgresPool, type Pool } from "../../src/functions/postgres/create-pool.ts";
import { runMigrations } from "../../src/functions/postgres/migrate.ts";
import { perSuite } from "./per-suite.ts";

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export interface TestSchema {
  schema: string;
  /** TEST_DATABASE_URL with `options=-c search_path=<schema>`: what a bridge under test is given. */
  url: string;
  /** Drops the schema and everything in it. Call it in after/afterEach. */
  drop(): Promise<void>;
}

/**
 * A fresh schema with a random name, so test files run in parallel without seeing each other's
 * tables. Code under test connects with `url`, whose search_path points at the schema.
 */
export async function createTestSchema(): Promise<TestSchema> {
  const schema = `test_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
  await withAdmin((client) => client.query(`CREATE SCHEMA ${schema}`));
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set("options", `-c search_path=${schema}`);
  return {
    schema,
    url: url.toString(),
    drop: () => withAdmin((client) => client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)).then(() => {}),
  };
}

/** Whether the users table exists in the schema that `url` points at. */
export async function usersTableExists(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query("SELECT to_regclass('users') IS NOT NULL AS exists");
    return rows[0].exists === true;
  } finally {
    await client.end();
  }
}

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * For a test file or describe block: a fresh schema with the bridge's migrations applied before
 * its tests, a pool on it, both dropped after them. Read `pool` and `schema` inside the tests.
 */
export function migratedTestSchema(): { readonly schema: TestSchema; readonly pool: Pool } {
  const logger = pino({ level: "silent" });
  return perSuite(
    "the test schema",
    async () => {
      const schema = await createTestSchema();
      const pool = createPostgresPool(schema.url, logger);
      await runMigrations(pool, logger);
      return { schema, pool };
    },
    async ({ schema, pool }) => {
      await pool.end();
      await schema.drop();
    },
  );
}
