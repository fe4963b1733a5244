import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import { isStartupError, type StartupError } from "../../src/errors.ts";
import { loadFunctions } from "../../src/app/load-functions.ts";
import { createFunctionClients } from "../../src/app/function-clients.ts";
import { loadConfig } from "../../src/config/load-config.ts";
import { createTestSchema, type TestSchema, usersTableExists } from "../helpers/pg-schema.ts";
import { startTestServices } from "../helpers/test-services.ts";

const SHIPPED_FUNCTIONS = resolve(fileURLToPath(import.meta.url), "../../../functions");

/** What the composition root does for the worker role: clients for the built-ins, then every function. */
async function load(env: Record<string, string>) {
  const t = await startTestServices({ FUNCTIONS: "", ...env }, { captureLogs: true });
  try {
    const clients = await createFunctionClients(t.services);
    const functions = await loadFunctions({ config: t.config, logger: t.logger, clients });
    const warnings = t.logs.filter((line) => line.level === 40).map((line) => String(line.msg));
    return { ids: functions.map((fn) => fn.id), functions, warnings };
  } finally {
    await t.close();
  }
}

async function loadError(env: Record<string, string>): Promise<StartupError> {
  try {
    await load(env);
  } catch (error) {
    assert.ok(isStartupError(error), `expected a startup error, got ${(error as Error).stack}`);
    return error as StartupError;
  }
  assert.fail("expected the functions to be refused");
}

describe("loading functions", () => {
  let schema: TestSchema;
  let emptyDir: string;
  before(async () => {
    schema = await createTestSchema();
    emptyDir = await mkdtemp(join(tmpdir(), "cwb-functions-"));
  });
  after(async () => {
    await schema.drop();
    await rm(emptyDir, { recursive: true, force: true });
  });

  it("by default builds user-sync and onboarding-email and creates the users table", async () => {
    const loaded = await load({ DATABASE_URL: schema.url, SMTP_URL: "smtp://127.0.0.1:2525", FUNCTIONS_DIR: emptyDir });
    assert.deepEqual(loaded.ids, ["bridge-user-sync", "bridge-onboarding-email"]);
    assert.equal(await usersTableExists(schema.url), true);
  });

  it(
    "without DATABASE_URL user-sync mirrors to the embedded PostgreSQL under DATA_DIR, with a warning that says so",
    { timeout: 120_000 },
    async () => {
      const dataDir = await mkdtemp(join(tmpdir(), "cwb-data-"));
      try {
        const loaded = await load({ FUNCTIONS: "user-sync", DATA_DIR: dataDir, FUNCTIONS_DIR: emptyDir });
        assert.deepEqual(loaded.ids, ["bridge-user-sync"]);
        assert.match(
          loaded.warnings.join("\n"),
          new RegExp(
            `DATABASE_URL is not set, so user-sync mirrors Clerk users to an embedded PostgreSQL \\(PGlite\\) in ${dataDir}/pglite`,
          ),
        );
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    },
  );

  it("without SMTP_URL onboarding emails go to the development outbox, with a warning", async () => {
    const loaded = await load({ FUNCTIONS: "onboarding-email", FUNCTIONS_DIR: emptyDir });
    assert.deepEqual(loaded.ids, ["bridge-onboarding-email"]);
    assert.match(loaded.warnings.join("\n"), /SMTP_URL is not set: .*development outbox/);
  });

  it("FUNCTIONS switches built-ins on one by one, and none switches them all off", async () => {
    assert.deepEqual((await load({ FUNCTIONS: "user-sync", DATABASE_URL: schema.url, FUNCTIONS_DIR: emptyDir })).ids, [
      "bridge-user-sync",
    ]);
    assert.deepEqual((await load({ FUNCTIONS: "none", FUNCTIONS_DIR: emptyDir })).ids, []);
  });

  it("an unknown name in FUNCTIONS is a configuration error naming the variable", () => {
    assert.throws(
      () => loadConfig({ FUNCTIONS: "user-sync,usr-sync" }),
      (error: Error) => {
        assert.ok(isStartupError(error) && error.code === "config_invalid");
        assert.match(
          error.message,
          /FUNCTIONS: each name must be a built-in function \(user-sync, onboarding-email, destinations\), or none/,
        );
        return true;
      },
    );
  });

  it("an unreachable database stops the start with a clear error", async () => {
    const error = await loadError({
      FUNCTIONS: "user-sync",
      DATABASE_URL: "postgres://postgres@127.0.0.1:1/test",
      FUNCTIONS_DIR: emptyDir,
    });
    assert.equal(error.code, "database_unprepared");
    assert.match(error.message, /cannot prepare the users table at DATABASE_URL: .*check DATABASE_URL/);
  });

  it("loads the operator's functions from a folder outside the checkout, with no package.json, skipping _files", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cwb-functions-"));
    try {
      await writeFile(
        join(dir, "crm.ts"),
        `import { createFunction } from "clerk-webhook-bridge";
         export const addToCrm = createFunction({ id: "add-to-crm", triggers: [{ event: "clerk/user.created" }] }, async () => "ok");
         export const tagInCrm = createFunction({ id: "tag-in-crm" }, { event: "clerk/user.updated" }, async () => "ok");
         export default addToCrm;`,
      );
      await writeFile(
        join(dir, "plain.js"),
        `import { createFunction } from "clerk-webhook-bridge";\nexport default createFunction({ id: "plain-js", triggers: [{ event: "app/x" }] }, () => 1);\n`,
      );
      await writeFile(join(dir, "_helper.ts"), `throw new Error("must not be loaded");`);
      const loaded = await load({ FUNCTIONS: "none", FUNCTIONS_DIR: dir });
      assert.deepEqual([...loaded.ids].sort(), ["add-to-crm", "plain-js", "tag-in-crm"]);
      const crm = (await import(pathToFileURL(join(dir, "crm.ts")).href)) as Record<string, unknown>;
      assert.equal(
        crm.addToCrm,
        loaded.functions.find((fn) => fn.id === "add-to-crm"),
        "one module instance",
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("Inngest's layout as it is: a client module, functions importing it without an extension, an index listing them", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cwb-functions-"));
    try {
      await writeFile(
        join(dir, "client.ts"),
        `import { Inngest } from "inngest";\nexport const inngest = new Inngest({ id: "shop", eventKey: process.env.INNGEST_EVENT_KEY });\n`,
      );
      await writeFile(
        join(dir, "signup.ts"),
        `import { inngest } from "./client";
         export const welcome = inngest.createFunction({ id: "welcome" }, { event: "app/user.signup" }, async () => "hi");
         export const audit = inngest.createFunction({ id: "audit" }, { event: "app/user.signup" }, async () => "noted");`,
      );
      await writeFile(
        join(dir, "index.ts"),
        `import { audit, welcome } from "./signup";\nexport const functions = [welcome, audit];\n`,
      );
      const loaded = await load({ FUNCTIONS: "none", FUNCTIONS_DIR: dir });
      assert.deepEqual(
        [...loaded.ids].sort(),
        ["shop-audit", "shop-welcome"],
        "each function once, the client module refused nothing",
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("a function file that fails to load, or exports no function, stops the start with its name", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cwb-functions-"));
    try {
      await writeFile(join(dir, "broken.ts"), `export default {};`);
      const empty = await loadError({ FUNCTIONS: "none", FUNCTIONS_DIR: dir });
      assert.equal(empty.code, "function_invalid");
      assert.match(empty.message, /broken\.ts exports no function/);
      await rm(join(dir, "broken.ts"));
      await writeFile(join(dir, "throws.ts"), `throw new Error("boom");`);
      assert.match(
        (await loadError({ FUNCTIONS: "none", FUNCTIONS_DIR: dir })).message,
        /throws\.ts: cannot load: boom/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("an option the engine does not implement stops the start naming the file, the function and the option", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cwb-functions-"));
    try {
      await writeFile(
        join(dir, "limited.ts"),
        `import { createFunction } from "clerk-webhook-bridge";
         export default createFunction({ id: "limited", triggers: [{ event: "app/x" }], throtle: { limit: 1, period: "1m" } } as never, async () => 1);`,
      );
      const error = await loadError({ FUNCTIONS: "none", FUNCTIONS_DIR: dir });
      assert.equal(error.code, "function_invalid");
      assert.match(error.message, /limited\.ts: function "limited": unknown option "throtle"/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('the shipped example in functions/ loads, its import from "inngest" unchanged', async () => {
    assert.deepEqual((await load({ FUNCTIONS: "none", FUNCTIONS_DIR: SHIPPED_FUNCTIONS })).ids, [
      "my-app-example-log-signups",
    ]);
  });

  it("a FUNCTIONS_DIR that does not exist stops the start, as a missing TRANSFORMS_DIR does", async () => {
    const error = await loadError({ FUNCTIONS: "none", FUNCTIONS_DIR: join(emptyDir, "absent") });
    assert.equal(error.code, "function_invalid");
    assert.match(error.message, /cannot read the functions folder .*absent \(FUNCTIONS_DIR\)/);
  });
});
