import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { acquirePidLock } from "./pid-lock.js";
import { StartupError } from "../../errors.js";
const POOL_OPTIONS = Object.freeze({ max: 1, idleTimeoutMillis: 0 });
async function startEmbeddedPostgres(options) {
  const root = resolve(options.dataDir);
  const dataDir = join(root, "pglite");
  const lockFile = join(root, "pglite.lock");
  mkdirSync(dataDir, { recursive: true });
  const lock = acquirePidLock(lockFile);
  if (!lock.acquired) throw new StartupError("database_unprepared", lockedMessage(root, lockFile, lock.holderPid));
  const logger = options.logger.child({ component: "embedded-postgres" });
  const closers = [lock.release];
  const close = async () => {
    for (const closer of closers.splice(0).reverse()) {
      await Promise.resolve().then(closer).catch((error) => logger.warn({ err: error }, "error while closing the embedded PostgreSQL"));
    }
  };
  try {
    const db = await openDatabase(dataDir, logger);
    closers.push(() => db.close());
    const socketDir = mkdtempSync(join(tmpdir(), "cwb-pglite-"));
    closers.push(() => rmSync(socketDir, { recursive: true, force: true }));
    const server = new PGLiteSocketServer({ db, path: join(socketDir, ".s.PGSQL.5432"), maxConnections: 1 });
    await server.start();
    closers.push(() => server.stop());
    return { url: `postgres://postgres@${encodeURIComponent(socketDir)}/postgres`, dataDir, poolOptions: POOL_OPTIONS, close };
  } catch (error) {
    await close();
    throw error;
  }
}
async function openDatabase(dataDir, logger) {
  const creating = !existsSync(join(dataDir, "PG_VERSION"));
  if (creating) logger.info({ dataDir }, "creating the embedded PostgreSQL database (first start only, takes a few seconds)");
  const started = Date.now();
  const db = await PGlite.create({
    dataDir,
    // PostgreSQL's own messages (recovery after a crash, for example); silent unless asked for.
    onStderr: (text) => {
      logger.debug({ pglite: text }, "embedded PostgreSQL message");
      return false;
    }
  });
  logger.info({ dataDir, ms: Date.now() - started }, creating ? "created the embedded PostgreSQL database" : "opened the embedded PostgreSQL database");
  return db;
}
function lockedMessage(root, lockFile, holderPid) {
  const holder = holderPid === process.pid ? "this process" : holderPid === null ? "another process" : `process ${holderPid}`;
  return `DATA_DIR ${root} holds an embedded PostgreSQL already opened by ${holder}, and it serves one bridge process only. Stop that process, give this one its own DATA_DIR, or set DATABASE_URL to a PostgreSQL server that all processes share. If no bridge is running, delete ${lockFile}.`;
}
export {
  startEmbeddedPostgres
};
