import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import request from "supertest";
import { checkDestination } from "../../src/destinations/check-destination.ts";
import { publishDestinations } from "../../src/destinations/destination-directory.ts";
import { isStartupError, type StartupError } from "../../src/errors.ts";
import { loadFunctions } from "../../src/app/load-functions.ts";
import { createFunctionClients } from "../../src/app/function-clients.ts";
import { makeOperatorApp } from "../helpers/operator-app.ts";
import { startTestServices } from "../helpers/test-services.ts";

const CRM = `import { defineDestination } from "clerk-webhook-bridge/destinations";
export default defineDestination({
  name: "crm",
  env: ["CRM_URL"],
  events: ["clerk/user.created", "app/*"],
  request: (event, env) => ({ url: env.CRM_URL, body: event.data }),
});
`;
const PAGER = `import { defineDestination } from "clerk-webhook-bridge/destinations";
export default defineDestination({
  name: "pager",
  env: ["PAGER_URL", "PAGER_TOKEN"],
  events: ["clerk/user.deleted"],
  if: "event.data.deleted == true",
  request: (event, env) => ({ url: env.PAGER_URL, headers: { authorization: env.PAGER_TOKEN }, body: { id: event.id } }),
});
`;

let root: string;
before(async () => {
  root = await mkdtemp(join(tmpdir(), "cwb-destinations-"));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A folder holding these modules, under the test's temporary root. */
async function folder(name: string, files: Record<string, string>): Promise<string> {
  const dir = join(root, name);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir);
  for (const [file, text] of Object.entries(files)) await writeFile(join(dir, file), text);
  return dir;
}

/** What the composition root does for the worker role, with the destinations built-in on. */
async function load(env: Record<string, string>) {
  const t = await startTestServices(
    { FUNCTIONS: "destinations", FUNCTIONS_DIR: await folder("no-functions", {}), ...env },
    { captureLogs: true },
  );
  try {
    const clients = await createFunctionClients(t.services);
    const functions = await loadFunctions({ config: t.config, logger: t.logger, clients });
    const lines = t.logs.filter((line) => line.level === 30).map((line) => String(line.msg));
    return { functions, destinations: clients.destinations, lines };
  } finally {
    await t.close();
  }
}

async function refusal(env: Record<string, string>): Promise<StartupError> {
  try {
    await load(env);
  } catch (error) {
    assert.ok(isStartupError(error), String(error));
    return error as StartupError;
  }
  assert.fail("expected the start to be refused");
}

describe("loading destinations", () => {
  test("with no variable set every destination is off, one line each says why, and no function is registered", async () => {
    const dir = await folder("off", { "crm.ts": CRM, "pager.ts": PAGER, "_helper.ts": "throw new Error('skipped');" });
    const loaded = await load({ DESTINATIONS_DIR: dir });
    assert.deepEqual(loaded.functions, []);
    assert.deepEqual(
      loaded.destinations?.map((destination) => [destination.name, destination.on]),
      [
        ["crm", false],
        ["pager", false],
      ],
    );
    assert.ok(loaded.lines.includes('destination "crm": off (CRM_URL not set)'));
    assert.ok(loaded.lines.includes('destination "pager": off (PAGER_URL, PAGER_TOKEN not set)'));
    assert.ok(loaded.lines.some((line) => line.startsWith("destinations: off")));
  });

  test("a destination whose variables are set is on, and the function triggers on the union of the patterns of those on", async () => {
    const dir = await folder("on", { "crm.ts": CRM, "pager.ts": PAGER });
    const loaded = await load({ DESTINATIONS_DIR: dir, CRM_URL: "https://crm.example.com/hook" });
    assert.deepEqual(
      loaded.functions.map((fn) => fn.id),
      ["bridge-destinations"],
    );
    assert.deepEqual(loaded.functions[0]?.triggers, [{ event: "clerk/user.created" }, { event: "app/*" }]);
    assert.ok(loaded.lines.includes('destination "crm": on'));

    const both = await load({
      DESTINATIONS_DIR: dir,
      CRM_URL: "https://crm.example.com/hook",
      PAGER_URL: "https://pager.example.com",
      PAGER_TOKEN: "t",
    });
    assert.deepEqual(both.functions[0]?.triggers, [
      { event: "clerk/user.created" },
      { event: "app/*" },
      { event: "clerk/user.deleted", if: "event.data.deleted == true" },
    ]);
  });

  test("the shipped destinations load, every one off until its variables are set", async () => {
    const loaded = await load({});
    assert.deepEqual(
      loaded.destinations?.map((destination) => [destination.name, destination.on, destination.missing]),
      [
        ["close", false, ["CLOSE_API_KEY"]],
        ["intercom", false, ["INTERCOM_TOKEN"]],
        ["slack", false, ["SLACK_WEBHOOK_URL"]],
        ["webhook", false, ["WEBHOOK_DESTINATION_URL", "WEBHOOK_DESTINATION_SECRET"]],
      ],
    );
    assert.deepEqual(loaded.functions, []);
  });

  test("FUNCTIONS without destinations loads none, not even a broken one", async () => {
    const dir = await folder("ignored", { "broken.ts": "export default {" });
    const loaded = await load({ FUNCTIONS: "none", DESTINATIONS_DIR: dir });
    assert.equal(loaded.destinations, undefined);
    assert.deepEqual(loaded.functions, []);
  });

  const refusals: Array<[string, Record<string, string>, RegExp]> = [
    ["a module that does not load", { "broken.ts": "export default {" }, /broken\.ts: cannot load/],
    [
      "a module without a default export",
      { "named.ts": "export const destination = {};" },
      /named\.ts: the default export must be a destination/,
    ],
    ["a module breaking the contract", { "typo.ts": CRM.replace("events:", "event:") }, /typo\.ts: .*event/],
    ["two destinations with one name", { "a.ts": CRM, "b.ts": CRM }, /b\.ts: a second destination named "crm"/],
  ];
  for (const [what, files, message] of refusals) {
    test(`${what} stops the start as destination_invalid, naming the file`, async () => {
      const dir = await folder(what.replace(/\W+/g, "-"), files);
      const error = await refusal({ DESTINATIONS_DIR: dir });
      assert.equal(error.code, "destination_invalid");
      assert.match(error.message, message);
    });
  }

  test("a DESTINATIONS_DIR that does not exist stops the start", async () => {
    const error = await refusal({ DESTINATIONS_DIR: join(root, "missing") });
    assert.equal(error.code, "destination_invalid");
    assert.match(error.message, /cannot read the destinations folder .*missing \(DESTINATIONS_DIR\)/);
  });
});

describe("GET /api/destinations", () => {
  test("lists what the workers loaded, on and off, with the variables an off one needs and never their values", async () => {
    const t = await makeOperatorApp();
    try {
      const crm = checkDestination(
        { name: "crm", env: ["CRM_URL"], events: ["app/*"], request: () => null },
        "/srv/destinations/crm.ts",
        { CRM_URL: "https://secret.example.com/x" },
      );
      const pager = checkDestination(
        {
          name: "pager",
          env: ["PAGER_URL"],
          events: ["clerk/user.deleted"],
          if: "event.data.deleted",
          request: () => null,
        },
        "/srv/destinations/pager.ts",
        {},
      );
      await publishDestinations(t.redis, t.services.keys.destinationDirectory, [crm, pager]);
      const response = await request(t.app).get("/api/destinations").expect(200);
      assert.deepEqual(response.body.destinations, [
        { name: "crm", file: "crm.ts", events: ["app/*"], on: true, missing: [], signed: false, timeoutMs: 10_000 },
        {
          name: "pager",
          file: "pager.ts",
          events: ["clerk/user.deleted"],
          if: "event.data.deleted",
          on: false,
          missing: ["PAGER_URL"],
          signed: false,
          timeoutMs: 10_000,
        },
      ]);
      assert.doesNotMatch(JSON.stringify(response.body), /secret\.example\.com/);
    } finally {
      await t.close();
    }
  });
});
