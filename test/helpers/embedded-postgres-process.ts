/**
 * Another bridge process opening the embedded PostgreSQL in DATA_DIR, for
 * test/integration/functions-embedded-postgres.test.ts. It migrates, writes one user and prints
 * "ready". With HOLD=1 it keeps the database open until killed; otherwise it closes the pool and
 * the database and does nothing else, so the process exits only if close() released everything.
 */
import { pino } from "pino";
import { toUserRow } from "../../src/functions/clerk-user.ts";
import { createPostgresPool } from "../../src/functions/postgres/create-pool.ts";
import { startEmbeddedPostgres } from "../../src/functions/postgres/embedded-postgres.ts";
import { runMigrations } from "../../src/functions/postgres/migrate.ts";
import { upsertUser } from "../../src/functions/postgres/users-table.ts";
import { userPayload } from "./users-table-contract.ts";

const logger = pino({ level: "silent" });
const embedded = await startEmbeddedPostgres({ dataDir: process.env.DATA_DIR as string, logger });
const pool = createPostgresPool(embedded.url, logger, embedded.poolOptions);
await runMigrations(pool, logger);
const row = toUserRow(userPayload(process.env.USER_ID as string, 1), Date.now());
if (row) await upsertUser(pool, row);
process.stdout.write(`ready ${JSON.stringify({ pid: process.pid, url: embedded.url })}\n`);
if (process.env.HOLD !== "1") {
  await pool.end();
  await embedded.close();
}
