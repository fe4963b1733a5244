import pg from "pg";
function createPostgresPool(databaseUrl, logger, options = {}) {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: 10,
    connectionTimeoutMillis: 5e3,
    idleTimeoutMillis: 3e4,
    // A statement stuck behind a lock must not hold a worker slot forever.
    statement_timeout: 3e4,
    application_name: "clerk-webhook-bridge",
    ...options
  });
  pool.on("error", (error) => logger.warn({ err: error }, "an idle PostgreSQL connection failed; it will be replaced"));
  return pool;
}
export {
  createPostgresPool
};
