import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import pg from "pg";
import { Redis } from "ioredis";
import { CHECKOUT } from "../helpers/clean-install.ts";
import { freePort } from "../helpers/private-redis.ts";
import { findPostgresBin } from "../setup/probe-machine.ts";
import { startPrivatePostgres, startPrivateRedis } from "../setup/start-test-services.ts";

/** `npm test`'s own program, as package.json runs it, with the environment given and nothing else. */
function runTestCommand(env: Record<string, string>) {
  return spawnSync(process.execPath, ["--import", "tsx", "test/setup/run-tests.ts"], {
    cwd: CHECKOUT,
    env,
    encoding: "utf8",
    timeout: 60_000,
  });
}

describe("npm test on a machine that lacks what the tests need", () => {
  test("stops before running anything, in one line naming what is missing and the apt-get command", () => {
    // A PATH with node alone: no redis-server, no Chromium, and no apt-get to install them with
    // (so even as root it cannot install, and this machine's packages are left alone).
    const bin = mkdtempSync(join(tmpdir(), "cwb-bare-path-"));
    symlinkSync(process.execPath, join(bin, "node"));
    try {
      const result = runTestCommand({ PATH: bin, HOME: tmpdir() });
      assert.equal(result.status, 1);
      assert.equal(result.stdout, "", "no typecheck, no test ran");
      const lines = result.stderr.split("\n").filter(Boolean);
      assert.equal(lines.length, 1, result.stderr);
      assert.match(
        lines[0] ?? "",
        /^npm test: cannot run the tests: missing redis-server \(the outage tests start their own\), Chromium \(neither chromium nor chromium-browser is on PATH\); /,
      );
      assert.match(lines[0] ?? "", /install with: (sudo )?apt-get install -y redis-server chromium(-browser)?$/);
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });

  test("a CHROMIUM_PATH that is not a program is named, and nothing is installed or run", () => {
    const result = runTestCommand({
      PATH: process.env.PATH ?? "",
      HOME: tmpdir(),
      CHROMIUM_PATH: "/nonexistent/chromium",
    });
    assert.equal(result.status, 1);
    assert.equal(result.stdout, "");
    assert.equal(
      result.stderr,
      "npm test: cannot run the tests: missing Chromium at CHROMIUM_PATH (/nonexistent/chromium is not an executable file); point CHROMIUM_PATH at Chromium, or unset it\n",
    );
  });
});

describe("the services npm test starts when none answers", () => {
  test("a private redis-server on the port asked for, gone once stopped", async () => {
    const redis = await startPrivateRedis(await freePort());
    const client = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on("error", () => undefined);
    await client.connect();
    assert.equal(await client.ping(), "PONG");
    client.disconnect();
    await redis.stop();
    await assert.rejects(client.connect());
  });

  test(
    "a private PostgreSQL with the tests' user and database, its folder removed once stopped",
    { timeout: 60_000 },
    async () => {
      const bin = findPostgresBin(process.env.PATH ?? "");
      assert.ok(bin, "npm test's set-up makes sure initdb and postgres are there");
      const postgres = await startPrivatePostgres(bin);
      const client = new pg.Client({ connectionString: postgres.url });
      await client.connect();
      const { rows } = await client.query(
        "select current_user, current_database(), current_setting('data_directory') as dir",
      );
      await client.end();
      assert.deepEqual(
        { user: rows[0].current_user, database: rows[0].current_database },
        { user: "postgres", database: "test" },
      );
      await postgres.stop();
      assert.equal(existsSync(rows[0].dir), false, "the cluster's folder is removed");
    },
  );
});
