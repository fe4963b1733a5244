import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Writable } from "node:stream";
import { after, before, describe, it } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Redis } from "ioredis";
import { ConfigError, loadConfig } from "../../src/config.ts";
import { FunctionLoadError, loadFunctions } from "../../src/functions/index.ts";
import { createLogger } from "../../src/logger.ts";
import { createTestSchema, type TestSchema, usersTableExists } from "../helpers/pg-schema.ts";
import { TEST_REDIS_URL, testPrefix } from "../helpers/test-redis.ts";

const SHIPPED_FUNCTIONS = resolve(fileURLToPath(import.meta.url), "../../../functions");

function captureLogger() {
  const lines: Array<{ level: number; msg: string }> = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: createLogger("debug", sink), warnings: () => lines.filter((l) => l.level === 40).map((l) => l.msg) };
}

describe("loadFunctions", () => {
  let schema: TestSchema;
  let emptyDir: string;
  const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true });
  before(async () => {
    schema = await createTestSchema();
    emptyDir = await mkdtemp(join(tmpdir(), "cwb-functions-"));
  });
  after(async () => {
    redis.disconnect();
    await schema.drop();
    await rm(emptyDir, { recursive: true, force: true });
  });

  const config = (env: Record<string, string> = {}) =>
    loadConfig({ REDIS_PREFIX: testPrefix(), FUNCTIONS_DIR: emptyDir, ...env });

  it("by default builds user-sync and onboarding-email and creates the users table", async () => {
    const { logger, warnings } = captureLogger();
    const loaded = await loadFunctions({ config: config({ DATABASE_URL: schema.url, SMTP_URL: "smtp://127.0.0.1:2525" }), logger, redis });
    try {
      assert.deepEqual(loaded.functions.map((fn) => fn.id), ["user-sync", "onboarding-email"]);
      assert.deepEqual(warnings(), []);
      assert.equal(await usersTableExists(schema.url), true);
    } finally {
      await loaded.close();
    }
  });

  it("without DATABASE_URL user-sync is off, with a warning that says so", async () => {
    const { logger, warnings } = captureLogger();
    const loaded = await loadFunctions({ config: config({ SMTP_URL: "smtp://127.0.0.1:2525" }), logger, redis });
    await loaded.close();
    assert.deepEqual(loaded.functions.map((fn) => fn.id), ["onboarding-email"]);
    assert.match(warnings().join("\n"), /DATABASE_URL is not set: user-sync is off/);
  });

  it("without SMTP_URL onboarding emails go to the development outbox, with a warning", async () => {
    const { logger, warnings } = captureLogger();
    const loaded = await loadFunctions({ config: config({ FUNCTIONS: "onboarding-email" }), logger, redis });
    await loaded.close();
    assert.deepEqual(loaded.functions.map((fn) => fn.id), ["onboarding-email"]);
    assert.match(warnings().join("\n"), /SMTP_URL is not set: .*development outbox/);
  });

  it("FUNCTIONS switches built-ins on one by one, and none switches them all off", async () => {
    const { logger } = captureLogger();
    const only = await loadFunctions({ config: config({ FUNCTIONS: "user-sync", DATABASE_URL: schema.url }), logger, redis });
    await only.close();
    assert.deepEqual(only.functions.map((fn) => fn.id), ["user-sync"]);
    const none = await loadFunctions({ config: config({ FUNCTIONS: "none" }), logger, redis });
    await none.close();
    assert.deepEqual(none.functions, []);
  });

  it("an unknown name in FUNCTIONS stops the start", async () => {
    const { logger } = captureLogger();
    await assert.rejects(loadFunctions({ config: config({ FUNCTIONS: "user-sync,usr-sync" }), logger, redis }), (error: Error) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /FUNCTIONS: unknown function usr-sync/);
      return true;
    });
  });

  it("an unreachable database stops the start with a clear error", async () => {
    const { logger } = captureLogger();
    await assert.rejects(
      loadFunctions({ config: config({ FUNCTIONS: "user-sync", DATABASE_URL: "postgres://postgres@127.0.0.1:1/test" }), logger, redis }),
      /cannot prepare the users table at DATABASE_URL/,
    );
  });

  it("loads the operator's functions from FUNCTIONS_DIR, skipping _files", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cwb-functions-"));
    try {
      await writeFile(
        join(dir, "crm.ts"),
        `import { createFunction } from "clerk-webhook-bridge";
         export const addToCrm = createFunction({ id: "add-to-crm", triggers: [{ event: "clerk/user.created" }] }, async () => "ok");
         export const tagInCrm = createFunction({ id: "tag-in-crm" }, { event: "clerk/user.updated" }, async () => "ok");
         export default addToCrm;`,
      );
      await writeFile(join(dir, "_helper.ts"), `throw new Error("must not be loaded");`);
      // Outside the app's folder, say that .ts files are ES modules, as the app's package.json does.
      await writeFile(join(dir, "package.json"), JSON.stringify({ type: "module" }));
      const { logger } = captureLogger();
      const loaded = await loadFunctions({ config: config({ FUNCTIONS: "none", FUNCTIONS_DIR: dir }), logger, redis });
      await loaded.close();
      assert.deepEqual(loaded.functions.map((fn) => fn.id).sort(), ["add-to-crm", "tag-in-crm"]);
      const crm = (await import(pathToFileURL(join(dir, "crm.ts")).href)) as Record<string, unknown>;
      assert.equal(crm.addToCrm, loaded.functions.find((fn) => fn.id === "add-to-crm"), "one module instance");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("a function file that fails to load, or exports no function, stops the start with its name", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cwb-functions-"));
    try {
      const { logger } = captureLogger();
      await writeFile(join(dir, "broken.ts"), `export default {};`);
      await assert.rejects(loadFunctions({ config: config({ FUNCTIONS: "none", FUNCTIONS_DIR: dir }), logger, redis }), (error: Error) => {
        assert.ok(error instanceof FunctionLoadError);
        assert.match(error.message, /broken\.ts exports no function/);
        return true;
      });
      await rm(join(dir, "broken.ts"));
      await writeFile(join(dir, "throws.ts"), `throw new Error("boom");`);
      await assert.rejects(loadFunctions({ config: config({ FUNCTIONS: "none", FUNCTIONS_DIR: dir }), logger, redis }), /throws\.ts: boom/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("the shipped example in functions/ loads", async () => {
    const { logger } = captureLogger();
    const loaded = await loadFunctions({ config: config({ FUNCTIONS: "none", FUNCTIONS_DIR: SHIPPED_FUNCTIONS }), logger, redis });
    await loaded.close();
    assert.deepEqual(loaded.functions.map((fn) => fn.id), ["example-log-signups"]);
  });

  it("a missing FUNCTIONS_DIR means no operator functions", async () => {
    const { logger } = captureLogger();
    const loaded = await loadFunctions({ config: config({ FUNCTIONS: "none", FUNCTIONS_DIR: join(emptyDir, "absent") }), logger, redis });
    await loaded.close();
    assert.deepEqual(loaded.functions, []);
  });
});
