import pg from "pg";
/**
 * A pg pool for DATABASE_URL. Connection attempts time out quickly so that a step fails (and is
 * retried with backoff by the engine) instead of hanging while PostgreSQL is away. A URL may
 * carry `?options=-c search_path=...` to use a schema other than `public`.
 */
export function createPostgresPool(databaseUrl, logger, options = {}) {
    const pool = new pg.Pool({
        connectionString: databaseUrl,
        max: 10,
        connectionTimeoutMillis: 5_000,
        idleTimeoutMillis: 30_000,
        // A statement stuck behind a lock must not hold a worker slot forever.
        statement_timeout: 30_000,
        application_name: "clerk-webhook-bridge",
        ...options,
    });
    // An idle client losing its connection (PostgreSQL restarted) emits 'error' on the pool;
    // unhandled, it would crash the process. The next query simply opens a new connection.
    pool.on("error", (error) => logger.warn({ err: error }, "an idle PostgreSQL connection failed; it will be replaced"));
    return pool;
}
