import { parseArgs } from "node:util";
import { loadConfig } from "../config.js";
import { createPostgresPool } from "../functions/postgres/create-pool.js";
import { prepareUsersTable } from "../functions/postgres/migrate.js";
import { createLogger } from "../logger.js";
import { UsageError } from "./cli-io.js";
async function migrateCommand(args, io) {
  parseArgs({ args, options: {} });
  const config = loadConfig(io.env);
  if (!config.databaseUrl) {
    throw new UsageError("DATABASE_URL is not set: set it to the PostgreSQL database to migrate (postgres://user:password@host:5432/db)");
  }
  const logger = createLogger(config.logLevel, io.stderr);
  const pool = createPostgresPool(config.databaseUrl, logger);
  try {
    const applied = await prepareUsersTable(pool, logger, "DATABASE_URL");
    io.stdout.write(applied.length > 0 ? `applied ${applied.length} migration(s): ${applied.join(", ")}
` : "the database is up to date\n");
    return 0;
  } finally {
    await pool.end();
  }
}
export {
  migrateCommand
};
