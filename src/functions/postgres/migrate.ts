import { StartupError } from "../../errors.ts";
import type { Logger } from "../../logger.ts";
import type { Pool } from "./create-pool.ts";
import { MIGRATIONS, type Migration } from "./migrations.ts";

/**
 * Applies the migrations not yet recorded in `schema_migrations`, in one transaction. Several
 * workers may start at once: a transaction-scoped advisory lock (keyed by the current schema)
 * makes them take turns, and the ones that follow find nothing left to do.
 * Returns the versions applied by this call.
 */
export async function runMigrations(
  pool: Pool,
  logger: Logger,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number[]> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock(hashtext('clerk-webhook-bridge:migrate:' || current_schema()))");
    await client.query(`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    const done = await client.query<{ version: number }>("SELECT version FROM schema_migrations");
    const applied = new Set(done.rows.map((row) => row.version));
    const pending = [...migrations].sort((a, b) => a.version - b.version).filter((m) => !applied.has(m.version));
    for (const migration of pending) {
      await client.query(migration.sql);
      await client.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [
        migration.version,
        migration.name,
      ]);
      logger.info({ version: migration.version, migration: migration.name }, "applied a database migration");
    }
    await client.query("COMMIT");
    return pending.map((m) => m.version);
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/**
 * The migrations as a start runs them (the bridge, `migrate`): a failure is a
 * `database_unprepared` startup error naming where the database is and what to check.
 */
export async function prepareUsersTable(pool: Pool, logger: Logger, where: string): Promise<number[]> {
  try {
    return await runMigrations(pool, logger);
  } catch (error) {
    throw new StartupError(
      "database_unprepared",
      `cannot prepare the users table at ${where}: ${(error as Error).message}: check ${where} and that PostgreSQL is running`,
      { cause: error },
    );
  }
}
