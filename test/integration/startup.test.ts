import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { TEST_SECRET } from "../helpers/sign-fixture.ts";

/** Starts `src/main.ts` as `npm start` does and returns how it ended (it must end by itself). */
function start(env: Record<string, string>) {
  const result = spawnSync(process.execPath, ["--import", "tsx", "src/main.ts"], {
    env: { PATH: process.env.PATH, REDIS_URL: "redis://127.0.0.1:6379", LOG_LEVEL: "warn", FUNCTIONS: "none", ...env },
    encoding: "utf8",
    timeout: 30_000,
  });
  return { status: result.status, stderr: result.stderr };
}

describe("a process with bad configuration stops at start", () => {
  test("an invalid variable is named, and the exit code is 1", () => {
    const { status, stderr } = start({ PORT: "eighty" });
    assert.equal(status, 1);
    assert.match(stderr, /cannot start \[config_invalid\]: invalid configuration/);
    assert.match(stderr, /PORT/);
  });

  test("a malformed webhook secret is named", () => {
    const { status, stderr } = start({ CLERK_WEBHOOK_SECRET: "secret123" });
    assert.equal(status, 1);
    assert.match(stderr, /CLERK_WEBHOOK_SECRET/);
  });

  test("a broken template stops the start with its file name", () => {
    const dir = mkdtempSync(join(tmpdir(), "cwb-transforms-"));
    writeFileSync(join(dir, "acme.js"), "export default 42;\n");
    const { status, stderr } = start({ CLERK_WEBHOOK_SECRET: TEST_SECRET, TRANSFORMS_DIR: dir, PORT: "0" });
    assert.equal(status, 1);
    assert.match(stderr, /acme\.js/);
    assert.match(stderr, /default export must be a function/);
  });

  test("a template with a syntax error stops the start with its file name", () => {
    const dir = mkdtempSync(join(tmpdir(), "cwb-transforms-"));
    writeFileSync(join(dir, "broken.ts"), "export default (payload => {\n");
    const { status, stderr } = start({ CLERK_WEBHOOK_SECRET: TEST_SECRET, TRANSFORMS_DIR: dir, PORT: "0" });
    assert.equal(status, 1);
    assert.match(stderr, /broken\.ts/);
  });
});
