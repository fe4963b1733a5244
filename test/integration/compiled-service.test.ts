import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { after, describe, test } from "node:test";
import { Queue } from "bullmq";
import { EVENTS_QUEUE, keyPrefix } from "../../src/queue/queue-names.ts";
import { freePort } from "../helpers/private-redis.ts";
import { clerkFixture, signFixture, TEST_SECRET } from "../helpers/sign-fixture.ts";
import { dropPrefix, testPrefix, TEST_REDIS_URL } from "../helpers/test-redis.ts";
import { eventJobId } from "../../src/queue/event-jobs.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/**
 * What the Docker image runs, without Docker: the build's output started with plain `node` (no
 * tsx loader in front), loading the .ts template and function folders as an operator would mount.
 */
describe("the compiled service", () => {
  const outDir = `build-test-${process.pid}`;
  const prefix = testPrefix();
  after(async () => {
    rmSync(`${ROOT}/${outDir}`, { recursive: true, force: true });
    await dropPrefix(prefix);
  });

  test("builds, starts with node alone, accepts a signed webhook and serves the dashboard", { timeout: 180_000 }, async () => {
    execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json", "--outDir", outDir], { cwd: ROOT });
    execFileSync(process.execPath, ["scripts/copy-build-assets.mjs", outDir], { cwd: ROOT });
    const port = await freePort();
    const child = spawn(process.execPath, [`${outDir}/src/main.js`], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, PORT: String(port), REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix, CLERK_WEBHOOK_SECRET: TEST_SECRET, LOG_LEVEL: "warn" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    try {
      let ready = false;
      for (let attempt = 0; attempt < 200 && !ready && child.exitCode === null; attempt++) {
        ready = await fetch(`http://127.0.0.1:${port}/readyz`).then((response) => response.ok, () => false);
        if (!ready) await sleep(100);
      }
      assert.ok(ready, `the compiled service did not become ready:\n${stderr}`);
      const delivery = signFixture(clerkFixture("user.created"), { id: "msg_compiled" });
      const response = await fetch(`http://127.0.0.1:${port}/webhooks/clerk`, { method: "POST", headers: delivery.headers, body: delivery.body });
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { ids: ["msg_compiled"], status: 200 });
      const queue = new Queue(EVENTS_QUEUE, { connection: { url: TEST_REDIS_URL }, prefix: keyPrefix(prefix) });
      assert.equal((await queue.getJob(eventJobId("msg_compiled")))?.name, "clerk/user.created");
      await queue.close();
      const dashboard = await fetch(`http://127.0.0.1:${port}/`);
      assert.equal(dashboard.status, 200);
      assert.match(await dashboard.text(), /<html/i);
    } finally {
      child.kill("SIGTERM");
      await new Promise((done) => (child.exitCode !== null ? done(undefined) : child.once("exit", done)));
    }
  });
});
