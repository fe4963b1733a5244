/**
 * npm run bench:users — user-sync's upsert through the pg pool, on the embedded PostgreSQL
 * (PGlite in a temporary DATA_DIR, its one-connection pool) and on the PostgreSQL server at
 * BENCH_DATABASE_URL (its default pool of 10, in a schema of its own, dropped afterwards).
 * Each scenario writes fresh users: one caller after another, then several callers at once, as
 * the workers call it. Prints upserts/s per database and scenario; the best of BENCH_ROUNDS.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { toUserRow } from "../src/functions/clerk-user.ts";
import { createPostgresPool, type Pool } from "../src/functions/postgres/create-pool.ts";
import { startEmbeddedPostgres } from "../src/functions/postgres/embedded-postgres.ts";
import { runMigrations } from "../src/functions/postgres/migrate.ts";
import { upsertUser } from "../src/functions/postgres/users-table.ts";
import { createLogger } from "../src/logger.ts";

const UPSERTS = Number(process.env.BENCH_UPSERTS ?? 2000);
const CALLERS = Number(process.env.BENCH_CALLERS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const SERVER_URL = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const logger = createLogger("silent");

async function upsertMany(pool: Pool, callers: number): Promise<number> {
  const run = randomUUID().slice(0, 8);
  let next = 0;
  const caller = async () => {
    for (let i = next++; i < UPSERTS; i = next++) {
      const row = toUserRow(
        { id: `user_${run}_${i}`, first_name: "Ada", email_addresses: [], updated_at: 1_700_000_000_000 },
        Date.now(),
      );
      if (row) await upsertUser(pool, row);
    }
  };
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: callers }, caller));
  return UPSERTS / (Number(process.hrtime.bigint() - started) / 1e9);
}

async function measure(name: string, pool: Pool): Promise<void> {
  await runMigrations(pool, logger);
  for (const callers of [1, CALLERS]) {
    let best = 0;
    for (let round = 0; round < ROUNDS; round++) best = Math.max(best, await upsertMany(pool, callers));
    console.log(
      `${name.padEnd(28)} ${String(callers).padStart(3)} caller(s): ${Math.round(best).toString().padStart(6)} upserts/s`,
    );
  }
}

async function benchEmbedded(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), "cwb-bench-"));
  try {
    const started = Date.now();
    const embedded = await startEmbeddedPostgres({ dataDir, logger });
    console.log(`embedded PostgreSQL created in ${Date.now() - started} ms`);
    const pool = createPostgresPool(embedded.url, logger, embedded.poolOptions);
    await measure("embedded (PGlite, pool of 1)", pool);
    await pool.end();
    await embedded.close();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function benchServer(): Promise<void> {
  const schema = `bench_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const url = new URL(SERVER_URL);
  url.searchParams.set("options", `-c search_path=${schema}`);
  const pool = createPostgresPool(url.toString(), logger);
  try {
    await measure("server (pool of 10)", pool);
  } finally {
    await pool.end();
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  }
}

console.log(`${UPSERTS} upserts of new users per scenario, best of ${ROUNDS}`);
await benchEmbedded();
await benchServer();
