import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import type pg from "pg";
import type { Logger } from "../../logger.ts";
import { acquirePidLock } from "./pid-lock.ts";
import { createEmbeddedDatabase } from "./create-embedded-database.ts";
import { StartupError } from "../../errors.ts";

/**
 * PostgreSQL in this process (PGlite: PostgreSQL compiled to WebAssembly), for a first run
 * without DATABASE_URL. It is served on the PostgreSQL wire protocol so that user-sync reaches it
 * through the same `pg` pool, SQL and migrations as a real server: one implementation to test.
 * A development default: commits reach the OS but are never fsynced (Emscripten's file system
 * has no fsync; strace shows none), so they survive a crash of the process, not of the machine.
 */
export interface EmbeddedPostgres {
  /** A postgres:// URL of the unix socket it is served on, for createPostgresPool. */
  url: string;
  /** The absolute directory holding the database files: `<DATA_DIR>/pglite`. */
  dataDir: string;
  /** Pool settings it needs: pass them to createPostgresPool with `url`. */
  poolOptions: Readonly<pg.PoolConfig>;
  /** Stops serving and closes the database. End the pool first. */
  close(): Promise<void>;
}

/*
 * One connection, kept open. PGlite is a single PostgreSQL session; pglite-socket's server queues
 * each wire-protocol *message* from all its connections into that one session. Two connections
 * therefore interleave a Parse from one with a Bind from the other: measured with four pg
 * clients, queries ran with another client's parameters, returned another query's rows, or
 * reported no error for a failing statement. So the server takes one connection (its default)
 * and the pool opens one (`max: 1`); concurrent callers queue in the pool, which costs nothing
 * here as PGlite runs one statement at a time anyway. The connection is never closed for being
 * idle: the server counts a closing socket until it has seen it close, so an immediate
 * reconnect can be refused (EPIPE), as it was for half of the reconnects tried. PGlite ignores
 * the startup parameters createPostgresPool sends (statement_timeout, application_name).
 */
const POOL_OPTIONS: Readonly<pg.PoolConfig> = Object.freeze({ max: 1, idleTimeoutMillis: 0 });

/**
 * Opens (creating on the first start) the database in `<dataDir>/pglite` and serves it on a unix
 * socket in a fresh private directory (mode 0700): only this OS user can connect, where a TCP
 * port on 127.0.0.1 would let any local user in without a password (PGlite asks for none), and
 * there is no port to collide with. A lock file refuses a second process on the same directory:
 * PGlite does not, and two processes writing one data directory lose each other's writes.
 */
export async function startEmbeddedPostgres(options: { dataDir: string; logger: Logger }): Promise<EmbeddedPostgres> {
  const root = resolve(options.dataDir);
  const dataDir = join(root, "pglite");
  const lockFile = join(root, "pglite.lock");
  mkdirSync(dataDir, { recursive: true });
  const lock = acquirePidLock(lockFile);
  if (!lock.acquired) throw new StartupError("database_unprepared", lockedMessage(root, lockFile, lock.holderPid));

  const logger = options.logger.child({ component: "embedded-postgres" });
  const closers: Array<() => unknown> = [lock.release];
  const close = async () => {
    // Reverse order of creation: stop serving, close the database, then unlock. splice: a second
    // close() finds nothing left to do.
    for (const closer of closers.splice(0).reverse()) {
      await Promise.resolve()
        .then(closer)
        .catch((error) => logger.warn({ err: error }, "error while closing the embedded PostgreSQL"));
    }
  };
  try {
    const db = await openDatabase(dataDir, logger);
    closers.push(() => db.close());
    const socketDir = mkdtempSync(join(tmpdir(), "cwb-pglite-"));
    closers.push(() => rmSync(socketDir, { recursive: true, force: true }));
    // pg connects to `<host>/.s.PGSQL.<port>`, libpq's naming, with the default port 5432.
    const server = new PGLiteSocketServer({ db, path: join(socketDir, ".s.PGSQL.5432"), maxConnections: 1 });
    await server.start();
    closers.push(() => server.stop());
    return {
      url: `postgres://postgres@${encodeURIComponent(socketDir)}/postgres`,
      dataDir,
      poolOptions: POOL_OPTIONS,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

async function openDatabase(dataDir: string, logger: Logger): Promise<PGlite> {
  const creating = !existsSync(join(dataDir, "PG_VERSION"));
  if (creating)
    logger.info({ dataDir }, "creating the embedded PostgreSQL database (first start only, takes a few seconds)");
  const started = Date.now();
  if (creating) await createEmbeddedDatabase(dataDir);
  const db = await PGlite.create({
    dataDir,
    // PostgreSQL's own messages (recovery after a crash, for example); silent unless asked for.
    onStderr: (text) => {
      logger.debug({ pglite: text }, "embedded PostgreSQL message");
      return false;
    },
  });
  logger.info(
    { dataDir, ms: Date.now() - started },
    creating ? "created the embedded PostgreSQL database" : "opened the embedded PostgreSQL database",
  );
  return db;
}

function lockedMessage(root: string, lockFile: string, holderPid: number | null): string {
  const holder =
    holderPid === process.pid ? "this process" : holderPid === null ? "another process" : `process ${holderPid}`;
  return (
    `DATA_DIR ${root} holds an embedded PostgreSQL already opened by ${holder}, and it serves one bridge process only. ` +
    "Stop that process, give this one its own DATA_DIR, or set DATABASE_URL to a PostgreSQL server that all processes share. " +
    `If no bridge is running, delete ${lockFile}.`
  );
}
