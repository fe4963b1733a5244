import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { perSuite } from "../helpers/per-suite.ts";
import { createTestSchema, usersTableExists } from "../helpers/pg-schema.ts";

const run = promisify(execFile);
const ROOT = resolve(fileURLToPath(import.meta.url), "../../..");

type Result = { code: number; stdout: string; stderr: string };

function exec(file: string, args: string[], env: Record<string, string>): Promise<Result> {
  return run(file, args, { cwd: ROOT, env: { PATH: process.env.PATH ?? "", ...env } }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: Result) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

/** `bridge migrate` as the bin script runs it (what `npm run migrate` calls). */
const bridgeMigrate = (env: Record<string, string>) => exec(process.execPath, ["bin/bridge.js", "migrate"], env);

describe("bridge migrate (npm run migrate)", () => {
  const schema = perSuite("the test schema", createTestSchema, (created) => created.drop());

  it("npm run migrate creates the users table, and run again finds nothing to do", async () => {
    const first = await exec("npm", ["run", "--silent", "migrate"], { DATABASE_URL: schema.url });
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stdout, "applied 1 migration(s): 1\n");
    assert.match(first.stderr, /applied a database migration/);
    assert.equal(await usersTableExists(schema.url), true);
    const second = await bridgeMigrate({ DATABASE_URL: schema.url });
    assert.equal(second.code, 0, second.stderr);
    assert.equal(second.stdout, "the database is up to date\n");
  });

  it("without DATABASE_URL it says what to set and exits 2", async () => {
    const result = await bridgeMigrate({});
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^bridge migrate: DATABASE_URL is not set: set it to the PostgreSQL database/);
    assert.equal(result.stderr.trim().split("\n").length, 1);
  });

  it("with the database unreachable it exits 1, as a failed start does, with the code, the reason and the fix on one line", async () => {
    const result = await bridgeMigrate({ DATABASE_URL: "postgres://postgres@127.0.0.1:1/test", LOG_LEVEL: "silent" });
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /^bridge migrate: cannot start \[database_unprepared\]: cannot prepare the users table at DATABASE_URL: .*ECONNREFUSED.*: check DATABASE_URL/,
    );
    assert.equal(result.stderr.trim().split("\n").length, 1);
  });
});
