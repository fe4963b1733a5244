import assert from "node:assert/strict";
import { execFile, execFileSync, spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { after, before, describe, test } from "node:test";
import { Queue } from "bullmq";
import { EVENTS_QUEUE, keyPrefix } from "../../src/queue/queue-names.ts";
import { createTestSchema, usersTableExists } from "../helpers/pg-schema.ts";
import { freePort } from "../helpers/private-redis.ts";
import { clerkFixture, signFixture, TEST_SECRET } from "../helpers/sign-fixture.ts";
import { dropPrefix, testPrefix, TEST_REDIS_URL } from "../helpers/test-redis.ts";
import { eventJobId } from "../../src/queue/event-jobs.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/**
 * What the Docker image runs, without Docker: the build's output started with plain `node` (no
 * tsx loader in front), loading the .ts template and function folders as an operator would mount.
 * The build goes to <image>/dist beside copies of bin/ and package.json, as the image lays out
 * /app, so bin/bridge.js finds no src/ there and runs the compiled CLI.
 */
describe("the compiled service", () => {
  const image = `build-test-${process.pid}`;
  const outDir = `${image}/dist`;
  const prefix = testPrefix();
  before(
    () => {
      execFileSync(
        process.execPath,
        ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json", "--outDir", outDir],
        { cwd: ROOT },
      );
      execFileSync(process.execPath, ["scripts/copy-build-assets.mjs", outDir], { cwd: ROOT });
      cpSync(`${ROOT}/bin`, `${ROOT}/${image}/bin`, { recursive: true });
      cpSync(`${ROOT}/package.json`, `${ROOT}/${image}/package.json`);
    },
    { timeout: 180_000 },
  );
  after(async () => {
    rmSync(`${ROOT}/${image}`, { recursive: true, force: true });
    await dropPrefix(prefix);
  });

  test("bin/bridge.js runs the compiled CLI: --version, and migrate as npm run migrate does", async () => {
    const bridge = (args: string[], env: Record<string, string> = {}) =>
      promisify(execFile)(process.execPath, ["bin/bridge.js", ...args], {
        cwd: `${ROOT}/${image}`,
        env: { PATH: process.env.PATH, ...env },
      });
    const { version } = JSON.parse(readFileSync(`${ROOT}/package.json`, "utf8"));
    assert.equal((await bridge(["--version"])).stdout, `${version}\n`);
    const schema = await createTestSchema();
    try {
      const { stdout } = await bridge(["migrate"], { DATABASE_URL: schema.url, LOG_LEVEL: "warn" });
      assert.equal(stdout, "applied 1 migration(s): 1\n");
      assert.equal(await usersTableExists(schema.url), true);
    } finally {
      await schema.drop();
    }
  });

  test(
    "starts with node alone, with templates, functions and destinations mounted outside the checkout, accepts a signed webhook and serves the dashboard",
    { timeout: 180_000 },
    async () => {
      const port = await freePort();
      // As an operator mounts them in a container: folders elsewhere, with no package.json.
      const mounted = mkdtempSync(join(tmpdir(), "cwb-mounted-"));
      cpSync(`${ROOT}/transforms`, join(mounted, "transforms"), { recursive: true });
      mkdirSync(join(mounted, "functions"));
      writeFileSync(
        join(mounted, "functions", "welcome.ts"),
        `import { createFunction } from "clerk-webhook-bridge";\nexport default createFunction({ id: "mounted-ts", triggers: [{ event: "clerk/user.created" }] }, async () => "ts");\n`,
      );
      writeFileSync(
        join(mounted, "functions", "audit.js"),
        `import { createFunction } from "clerk-webhook-bridge";\nexport default createFunction({ id: "mounted-js", triggers: [{ event: "clerk/user.deleted" }] }, async () => "js");\n`,
      );
      mkdirSync(join(mounted, "destinations"));
      writeFileSync(
        join(mounted, "destinations", "crm.ts"),
        `import { defineDestination } from "clerk-webhook-bridge/destinations";\nexport default defineDestination({ name: "crm", env: ["CRM_URL"], events: ["clerk/user.created"], request: (event, env) => ({ url: env.CRM_URL, body: event.data }) });\n`,
      );
      const child = spawn(process.execPath, [`${outDir}/src/app/main.js`], {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH,
          PORT: String(port),
          REDIS_URL: TEST_REDIS_URL,
          REDIS_PREFIX: prefix,
          CLERK_WEBHOOK_SECRET: TEST_SECRET,
          LOG_LEVEL: "warn",
          FUNCTIONS: "destinations",
          TRANSFORMS_DIR: join(mounted, "transforms"),
          FUNCTIONS_DIR: join(mounted, "functions"),
          DESTINATIONS_DIR: join(mounted, "destinations"),
          // Nothing listens there: the delivery retries in the background, which this test does not watch.
          CRM_URL: `http://127.0.0.1:${await freePort()}/hook`,
        },
        stdio: ["ignore", "ignore", "pipe"],
      });
      let stderr = "";
      child.stderr.on("data", (chunk) => (stderr += chunk));
      try {
        let ready = false;
        for (let attempt = 0; attempt < 200 && !ready && child.exitCode === null; attempt++) {
          ready = await fetch(`http://127.0.0.1:${port}/readyz`).then(
            (response) => response.ok,
            () => false,
          );
          if (!ready) await sleep(100);
        }
        assert.ok(ready, `the compiled service did not become ready:\n${stderr}`);
        const delivery = signFixture(clerkFixture("user.created"), { id: "msg_compiled" });
        const response = await fetch(`http://127.0.0.1:${port}/webhooks/clerk`, {
          method: "POST",
          headers: delivery.headers,
          body: delivery.body,
        });
        assert.equal(response.status, 200);
        assert.deepEqual(await response.json(), { ids: ["msg_compiled"], status: 200 });
        const queue = new Queue(EVENTS_QUEUE, { connection: { url: TEST_REDIS_URL }, prefix: keyPrefix(prefix) });
        assert.equal((await queue.getJob(eventJobId("msg_compiled")))?.name, "clerk/user.created");
        await queue.close();
        const dashboard = await fetch(`http://127.0.0.1:${port}/`);
        assert.equal(dashboard.status, 200);
        assert.match(await dashboard.text(), /<html/i);
        const { functions } = (await (await fetch(`http://127.0.0.1:${port}/api/functions`)).json()) as {
          functions: Array<{ id: string }>;
        };
        assert.deepEqual(functions.map((fn) => fn.id).sort(), ["bridge-destinations", "mounted-js", "mounted-ts"]);
        const { destinations } = (await (await fetch(`http://127.0.0.1:${port}/api/destinations`)).json()) as {
          destinations: Array<{ name: string; on: boolean }>;
        };
        assert.deepEqual(
          destinations.map(({ name, on }) => ({ name, on })),
          [{ name: "crm", on: true }],
        );
      } finally {
        rmSync(mounted, { recursive: true, force: true });
        child.kill("SIGTERM");
        await new Promise((done) => (child.exitCode !== null ? done(undefined) : child.once("exit", done)));
      }
    },
  );
});
