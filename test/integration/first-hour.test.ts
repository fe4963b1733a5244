import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { describe, test, after } from "node:test";
import { promisify } from "node:util";
import { CHECKOUT, withoutNpmVariables } from "../helpers/clean-install.ts";
import { freePort } from "../helpers/private-redis.ts";
import { dropPrefix, testPrefix, TEST_REDIS_URL } from "../helpers/test-redis.ts";

/**
 * The newcomer's first hour as one script (scripts/first-hour.sh): git clone, npm ci, npm start,
 * npx bridge trigger user.created, then the run, the users row and the welcome email. It clones
 * this checkout, so it walks what is committed (CI's clean clone is exactly that).
 */
describe("scripts/first-hour.sh", () => {
  const prefix = testPrefix();
  after(() => dropPrefix(prefix));

  test(
    "a clone, installed and started as the README says, turns one trigger into a row, a run and a welcome email",
    { timeout: 400_000 },
    async () => {
      const port = await freePort();
      const env = { ...withoutNpmVariables(), PORT: String(port), REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix };
      const { stdout } = await promisify(execFile)("bash", [join(CHECKOUT, "scripts/first-hour.sh"), CHECKOUT], {
        env,
        encoding: "utf8",
        maxBuffer: 16 * 1024 * 1024,
      }).catch((error: { stdout?: string; stderr?: string; message: string }) => {
        throw new Error(`first-hour.sh failed: ${error.message}\n${error.stdout ?? ""}\n${error.stderr ?? ""}`);
      });
      assert.match(stdout, /^answer: 200 /m);
      assert.match(stdout, /^first hour: ok \(event msg_\w+, user user_\w+\)$/m);
      // The script's own end: nothing of the bridge is left listening.
      await assert.rejects(fetch(`http://127.0.0.1:${port}/healthz`));
    },
  );
});
