/**
 * `npm run migrate`: applies the users-table migrations at DATABASE_URL and exits. The bridge
 * runs the same migrations at start; this command is for deploys that migrate before rolling out.
 * An entry point like main.ts, so it reads process.env itself.
 */
import { loadConfig } from "../src/config.ts";
import { formatStartupError } from "../src/errors.ts";
import { createPostgresPool } from "../src/functions/postgres/create-pool.ts";
import { prepareUsersTable } from "../src/functions/postgres/migrate.ts";
import { createLogger } from "../src/logger.ts";

async function main(): Promise<number> {
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel);
  if (!config.databaseUrl) {
    process.stderr.write("migrate: DATABASE_URL is not set, there is no database to migrate\n");
    return 1;
  }
  const pool = createPostgresPool(config.databaseUrl, logger);
  try {
    const applied = await prepareUsersTable(pool, logger, "DATABASE_URL");
    logger.info({ applied }, applied.length > 0 ? `applied ${applied.length} migration(s)` : "the database is up to date");
    return 0;
  } finally {
    await pool.end();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${formatStartupError(error, "migrate")}\n`);
    process.exit(1);
  },
);
