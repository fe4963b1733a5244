import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { existsSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { after, describe, test } from "node:test";
import { createTestSchema } from "../helpers/pg-schema.ts";
import { freePort } from "../helpers/private-redis.ts";
import { clerkFixture, signFixture, TEST_SECRET } from "../helpers/sign-fixture.ts";
import { dropPrefix, testPrefix, TEST_REDIS_URL } from "../helpers/test-redis.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/**
 * `npm start` as the README gives it: its prestart step transpiles src/ (scripts/transpile.mjs),
 * then plain `node` runs the output, with the shipped templates and functions (TypeScript, loaded
 * on demand). Here into a folder of its own, so the test leaves a developer's .run alone.
 */
describe("npm start's transpiled service", () => {
  const outDir = `build-test-start-${process.pid}`;
  const prefix = testPrefix();
  after(async () => {
    rmSync(`${ROOT}/${outDir}`, { recursive: true, force: true });
    await dropPrefix(prefix);
  });
  const transpile = () =>
    execFileSync(process.execPath, ["scripts/transpile.mjs", outDir], {
      cwd: ROOT,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });

  test(
    "transpiles every source once, then only what changed, and drops outputs whose source is gone",
    { timeout: 120_000 },
    () => {
      transpile();
      assert.ok(existsSync(`${ROOT}/${outDir}/src/app/main.js`));
      assert.ok(
        existsSync(`${ROOT}/${outDir}/src/engine/store/lua/route-event.lua`),
        "assets are copied beside the code",
      );
      const orphan = `${ROOT}/${outDir}/src/removed-module.js`;
      writeFileSync(orphan, "export {};\n");
      const future = new Date(Date.now() + 60_000);
      utimesSync(`${ROOT}/${outDir}/src/app/main.js`, future, future);
      execFileSync(process.execPath, ["scripts/transpile.mjs", outDir], { cwd: ROOT });
      assert.equal(existsSync(orphan), false, "an output without a source is removed");
    },
  );

  test("starts with plain node, accepts a signed webhook and mirrors the user", { timeout: 120_000 }, async () => {
    const schema = await createTestSchema();
    const port = await freePort();
    const child = spawn(process.execPath, [`${outDir}/src/app/main.js`], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        PORT: String(port),
        WORKERS: "1",
        REDIS_URL: TEST_REDIS_URL,
        REDIS_PREFIX: prefix,
        CLERK_WEBHOOK_SECRET: TEST_SECRET,
        DATABASE_URL: schema.url,
        LOG_LEVEL: "warn",
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    try {
      let ready = false;
      for (let attempt = 0; attempt < 300 && !ready && child.exitCode === null; attempt++) {
        ready = await fetch(`http://127.0.0.1:${port}/readyz`).then(
          (response) => response.ok,
          () => false,
        );
        if (!ready) await sleep(100);
      }
      assert.ok(ready, `the service did not become ready:\n${stderr}`);
      const delivery = signFixture(clerkFixture("user.created"));
      const response = await fetch(`http://127.0.0.1:${port}/webhooks/clerk`, {
        method: "POST",
        headers: delivery.headers,
        body: delivery.body,
      });
      assert.equal(response.status, 200);
      let count = 0;
      for (let attempt = 0; attempt < 200 && count === 0; attempt++) {
        count = ((await fetch(`http://127.0.0.1:${port}/api/users/count`).then((r) => r.json())) as { count: number })
          .count;
        if (count === 0) await sleep(100);
      }
      assert.equal(count, 1, "user-sync ran from the transpiled code");
    } finally {
      child.kill("SIGTERM");
      await new Promise((done) => (child.exitCode !== null ? done(undefined) : child.once("exit", done)));
      await schema.drop();
    }
  });
});
