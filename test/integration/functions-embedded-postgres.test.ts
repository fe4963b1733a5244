import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, afterEach, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { pino } from "pino";
import { toUserRow } from "../../src/functions/clerk-user.ts";
import { createEmbeddedDatabase } from "../../src/functions/postgres/create-embedded-database.ts";
import { createPostgresPool, type Pool } from "../../src/functions/postgres/create-pool.ts";
import { isStartupError, type StartupError } from "../../src/errors.ts";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "../../src/functions/postgres/embedded-postgres.ts";
import { runMigrations } from "../../src/functions/postgres/migrate.ts";
import { countUsers, findUser, upsertUser } from "../../src/functions/postgres/users-table.ts";
import { userPayload, usersTableContract } from "../helpers/users-table-contract.ts";

const OTHER_PROCESS = fileURLToPath(new URL("../helpers/embedded-postgres-process.ts", import.meta.url));
const logger = pino({ level: "silent" });
// One data directory for the file: creating a PGlite database takes 15-20 s on these machines.
let dataDir: string;
let embedded: EmbeddedPostgres | undefined;
let pool: Pool;
let appliedAtFirstStart: number[];

async function open(): Promise<void> {
  embedded = await startEmbeddedPostgres({ dataDir, logger });
  pool = createPostgresPool(embedded.url, logger, embedded.poolOptions);
}

async function shut(): Promise<void> {
  if (!embedded) return;
  await pool.end();
  await embedded.close();
  embedded = undefined;
}

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "cwb-embedded-test-"));
  await open();
  appliedAtFirstStart = await runMigrations(pool, logger);
});
after(async () => {
  await shut();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("migrations on the embedded PostgreSQL", () => {
  it("the first start creates the database in DATA_DIR/pglite and the users table; a second run applies nothing", async () => {
    assert.deepEqual(appliedAtFirstStart, [1]);
    assert.ok(embedded);
    assert.equal(embedded.dataDir, join(dataDir, "pglite"));
    assert.ok(existsSync(join(dataDir, "pglite", "PG_VERSION")));
    assert.deepEqual(await runMigrations(pool, logger), []);
  });
});

describe("the users table on the embedded PostgreSQL", () => usersTableContract(() => pool));

describe("the embedded data directory", () => {
  it("the mirror survives close and reopen; close removes the lock and the socket", async () => {
    await upsert(pool, "user_kept");
    assert.ok(embedded);
    const socketDir = socketDirOf(embedded.url);
    await shut();
    assert.equal(existsSync(join(dataDir, "pglite.lock")), false);
    assert.equal(existsSync(socketDir), false);

    await open();
    assert.equal((await findUser(pool, "user_kept"))?.email, "v1@example.org");
    assert.equal(await countUsers(pool), 1);
    assert.deepEqual(await runMigrations(pool, logger), []);
  });

  it("a second open of the same DATA_DIR in this process is refused, naming DATA_DIR and DATABASE_URL", async () => {
    const refusal = await openExpectingRefusal();
    assert.match(refusal.message, new RegExp(`DATA_DIR ${escape(dataDir)} .*opened by this process`));
    assert.match(refusal.message, /DATABASE_URL/);
    // The refusal took nothing from the open database: it still has its lock and still writes.
    assert.ok(existsSync(join(dataDir, "pglite.lock")));
    assert.equal(await upsert(pool, "user_after_refusal"), "inserted");
  });

  it("a database that cannot be created (in its own process) stops the start, naming the directory", async () => {
    const file = join(dataDir, "not-a-directory");
    writeFileSync(file, "");
    await assert.rejects(createEmbeddedDatabase(join(file, "pglite")), (error: StartupError) => {
      assert.ok(isStartupError(error));
      assert.equal(error.code, "database_unprepared");
      assert.match(error.message, new RegExp(`could not create the embedded PostgreSQL database in ${escape(file)}`));
      return true;
    });
  });
});

// Last, as it closes the file's database to hand DATA_DIR to other processes. In order: the
// second test also finds the user that the first test's process wrote before it exited.
describe("two processes and one DATA_DIR", () => {
  const children: ChildProcess[] = [];
  before(shut);
  afterEach(() => {
    for (const child of children.splice(0))
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });

  function startOther(userId: string, hold: boolean): ChildProcess {
    const child = spawn(process.execPath, ["--import", "tsx", OTHER_PROCESS], {
      env: { ...process.env, DATA_DIR: dataDir, USER_ID: userId, HOLD: hold ? "1" : "0" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    children.push(child);
    return child;
  }

  it("a process that opens, writes and closes exits by itself: close() released everything", async () => {
    const other = startOther("user_one", false);
    const [code, signal] = await exitWithin(other, 90_000);
    assert.deepEqual({ code, signal }, { code: 0, signal: null });
    assert.equal(existsSync(join(dataDir, "pglite.lock")), false);
  });

  it("while another process holds it, an open is refused naming that process; once it is killed, the next open takes over with its data", async () => {
    const holder = startOther("user_two", true);
    const ready = await readyLine(holder);
    const refusal = await openExpectingRefusal();
    assert.match(refusal.message, new RegExp(`DATA_DIR ${escape(dataDir)} .*opened by process ${ready.pid}\\b`));
    assert.match(refusal.message, /set DATABASE_URL/);

    holder.kill("SIGKILL");
    await once(holder, "exit");
    // A crash leaves its socket's directory in the temp dir; tidy it, as the OS would at boot.
    rmSync(socketDirOf(ready.url), { recursive: true, force: true });
    // The lock file is still there, naming a process that is gone: a stale lock is taken over.
    assert.ok(existsSync(join(dataDir, "pglite.lock")));
    const successor = await startEmbeddedPostgres({ dataDir, logger });
    const successorPool = createPostgresPool(successor.url, logger, successor.poolOptions);
    try {
      assert.equal((await findUser(successorPool, "user_two"))?.email, "v1@example.org");
      assert.equal((await findUser(successorPool, "user_one"))?.email, "v1@example.org");
    } finally {
      await successorPool.end();
      await successor.close();
    }
  });
});

async function upsert(target: Pool, id: string) {
  const row = toUserRow(userPayload(id, 1), Date.now());
  assert.ok(row);
  return upsertUser(target, row);
}

/** The error of an open of `dataDir` that must be refused; an open that succeeds is closed again. */
async function openExpectingRefusal(): Promise<StartupError> {
  const outcome = await startEmbeddedPostgres({ dataDir, logger }).then(
    async (opened) => {
      await opened.close();
      return "opened";
    },
    (error: unknown) => error,
  );
  assert.ok(
    isStartupError(outcome) && outcome.code === "database_unprepared",
    `expected the open to be refused, got: ${String(outcome)}`,
  );
  return outcome;
}

async function readyLine(child: ChildProcess): Promise<{ pid: number; url: string }> {
  const [chunk] = (await once(child.stdout!, "data")) as [Buffer];
  const line = chunk.toString().trim();
  assert.match(line, /^ready /);
  return JSON.parse(line.slice("ready ".length));
}

/** The exit of `child`; a child still running after `ms` is killed and fails the test. */
async function exitWithin(child: ChildProcess, ms: number): Promise<[number | null, NodeJS.Signals | null]> {
  const timer = setTimeout(() => child.kill("SIGKILL"), ms);
  try {
    const [code, signal] = (await once(child, "exit")) as [number | null, NodeJS.Signals | null];
    assert.notEqual(signal, "SIGKILL", `the process did not exit by itself within ${ms} ms: something was left open`);
    return [code, signal];
  } finally {
    clearTimeout(timer);
  }
}

/** The directory of the unix socket that a postgres://user@%2Fdir/db URL points at. */
function socketDirOf(url: string): string {
  return decodeURIComponent(new URL(url).hostname);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
