import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { createTestSchema, type TestSchema, usersTableExists } from "../helpers/pg-schema.ts";

const run = promisify(execFile);
const ROOT = resolve(fileURLToPath(import.meta.url), "../../..");

/** `npm run migrate` is `node --import tsx scripts/migrate.ts`; run that directly, as npm would. */
function migrate(env: Record<string, string>) {
  return run(process.execPath, ["--import", "tsx", "scripts/migrate.ts"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "info", ...env },
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

describe("npm run migrate", () => {
  let schema: TestSchema;
  before(async () => {
    schema = await createTestSchema();
  });
  after(async () => {
    await schema.drop();
  });

  it("creates the users table, and run again finds nothing to do", async () => {
    const first = await migrate({ DATABASE_URL: schema.url });
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /applied 1 migration/);
    assert.equal(await usersTableExists(schema.url), true);
    const second = await migrate({ DATABASE_URL: schema.url });
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /the database is up to date/);
  });

  it("without DATABASE_URL it says so and exits 1", async () => {
    const result = await migrate({});
    assert.equal(result.code, 1);
    assert.match(result.stderr, /DATABASE_URL is not set/);
  });

  it("with the database unreachable it exits 1 with the reason", async () => {
    const result = await migrate({ DATABASE_URL: "postgres://postgres@127.0.0.1:1/test" });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /migrate failed: .*ECONNREFUSED/);
  });
});
