import { StartupError } from "../../errors.js";
import { MIGRATIONS } from "./migrations.js";
async function runMigrations(pool, logger, migrations = MIGRATIONS) {
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
    const done = await client.query("SELECT version FROM schema_migrations");
    const applied = new Set(done.rows.map((row) => row.version));
    const pending = [...migrations].sort((a, b) => a.version - b.version).filter((m) => !applied.has(m.version));
    for (const migration of pending) {
      await client.query(migration.sql);
      await client.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [migration.version, migration.name]);
      logger.info({ version: migration.version, migration: migration.name }, "applied a database migration");
    }
    await client.query("COMMIT");
    return pending.map((m) => m.version);
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {
    });
    throw error;
  } finally {
    client.release();
  }
}
async function prepareUsersTable(pool, logger, where) {
  try {
    return await runMigrations(pool, logger);
  } catch (error) {
    throw new StartupError("database_unprepared", `cannot prepare the users table at ${where}: ${error.message}: check ${where} and that PostgreSQL is running`, { cause: error });
  }
}
export {
  prepareUsersTable,
  runMigrations
};
