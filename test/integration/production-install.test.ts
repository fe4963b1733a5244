import assert from "node:assert/strict";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { CHECKOUT, installCleanCopy, withoutNpmVariables, type CleanInstall } from "../helpers/clean-install.ts";
import { createTestSchema, type TestSchema } from "../helpers/pg-schema.ts";
import { freePort } from "../helpers/private-redis.ts";
import { clerkFixture, signFixture, TEST_SECRET } from "../helpers/sign-fixture.ts";
import { dropPrefix, testPrefix, TEST_REDIS_URL } from "../helpers/test-redis.ts";
import { waitUntil } from "../helpers/wait-until.ts";

/**
 * The production install of every deployment without Docker: a clone, `npm ci --omit=dev`, then
 * `npm start`. Nothing of the development dependencies (TypeScript among them) may be needed to
 * start, and nothing outside the copy may be read.
 */
describe("npm ci --omit=dev && npm start, in a clean copy of the checkout", () => {
  const prefix = testPrefix();
  let install: CleanInstall;
  let schema: TestSchema;
  let bridge: ChildProcess | undefined;
  let output = "";
  let port = 0;

  before(
    async () => {
      install = await installCleanCopy({ omitDev: true });
      schema = await createTestSchema();
      port = await freePort();
    },
    { timeout: 240_000 },
  );

  after(async () => {
    if (bridge?.pid && bridge.exitCode === null) {
      const exited = new Promise((resolve) => bridge?.once("exit", resolve));
      // npm runs the bridge as its child: signal the whole group npm leads.
      process.kill(-bridge.pid, "SIGTERM");
      await exited;
    }
    install?.remove();
    await schema?.drop();
    await dropPrefix(prefix);
  });

  test("installs without the development dependencies and without an unreviewed install script", () => {
    assert.equal(
      existsSync(join(install.dir, "node_modules/typescript")),
      false,
      "typescript is a development dependency",
    );
    assert.equal(
      existsSync(join(install.dir, "node_modules/esbuild")),
      true,
      "the transpiler npm start uses is installed",
    );
    assert.doesNotMatch(
      install.npmOutput,
      /install-scripts|allowScripts/,
      "every dependency's install script is allowed or denied in package.json",
    );
  });

  test("npm start answers /readyz and accepts a signed webhook", { timeout: 120_000 }, async () => {
    bridge = spawn("npm", ["start"], {
      cwd: install.dir,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...withoutNpmVariables(),
        PORT: String(port),
        HOST: "127.0.0.1",
        WORKERS: "1",
        REDIS_URL: TEST_REDIS_URL,
        REDIS_PREFIX: prefix,
        CLERK_WEBHOOK_SECRET: TEST_SECRET,
        DATABASE_URL: schema.url,
        LOG_LEVEL: "warn",
      },
    });
    bridge.stdout?.on("data", (chunk) => (output += chunk));
    bridge.stderr?.on("data", (chunk) => (output += chunk));
    const ready = () =>
      fetch(`http://127.0.0.1:${port}/readyz`).then(
        (response) => response.status === 200,
        () => false,
      );
    await waitUntil(async () => bridge?.exitCode !== null || (await ready()), 90_000).catch(() =>
      assert.fail(`npm start did not become ready:\n${output}`),
    );
    assert.equal(bridge.exitCode, null, `npm start ended:\n${output}`);
    assert.equal(
      existsSync(join(install.dir, ".run/src/app/main.js")),
      true,
      "prestart transpiled src/ inside the copy",
    );

    const delivery = signFixture(clerkFixture("user.created"));
    const response = await fetch(`http://127.0.0.1:${port}/webhooks/clerk`, {
      method: "POST",
      headers: delivery.headers,
      body: delivery.body,
    });
    assert.equal(response.status, 200, await response.text());
  });
});

test("every install script in the whole dependency tree, development included, is allowed or denied in package.json", () => {
  const pending = execFileSync("npm", ["approve-scripts", "--allow-scripts-pending"], {
    cwd: CHECKOUT,
    env: withoutNpmVariables(),
    encoding: "utf8",
  });
  assert.equal(pending.trim(), "No packages with unreviewed install scripts.");
});
