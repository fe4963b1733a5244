import { parseArgs } from "node:util";
import { loadConfig } from "../config/load-config.ts";
import { cliClients } from "../app/cli-clients.ts";
import { prepareUsersTable } from "../functions/postgres/migrate.ts";
import { createLogger } from "../logger.ts";
import { UsageError, type CliIo } from "./cli-io.ts";

/**
 * `bridge migrate` (and `npm run migrate`): applies the users-table migrations at DATABASE_URL
 * and exits. The bridge runs the same migrations at start; this is for deploys that migrate
 * before rolling out. It lives in the CLI so that the Docker image, which ships only dist/, has it.
 */
export async function migrateCommand(args: string[], io: CliIo): Promise<number> {
  parseArgs({ args, options: {} });
  const config = loadConfig(io.env);
  if (!config.databaseUrl) {
    throw new UsageError(
      "DATABASE_URL is not set: set it to the PostgreSQL database to migrate (postgres://user:password@host:5432/db)",
    );
  }
  // Log lines (each migration applied, a connection lost) go to stderr; the outcome to stdout.
  const logger = createLogger(config.logLevel, io.stderr);
  const pool = cliClients(config, logger).database(config.databaseUrl);
  try {
    // A refused or unreachable database is a `database_unprepared` error, printed by the CLI
    // as npm start prints it: one line with the code and the fix.
    const applied = await prepareUsersTable(pool, logger, "DATABASE_URL");
    io.stdout.write(
      applied.length > 0
        ? `applied ${applied.length} migration(s): ${applied.join(", ")}\n`
        : "the database is up to date\n",
    );
    return 0;
  } finally {
    await pool.end();
  }
}
