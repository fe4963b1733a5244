import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { checkDestination } from "../../src/destinations/check-destination.ts";
import { isStartupError, type StartupError } from "../../src/errors.ts";
import type { FunctionEvent } from "../../src/client/index.ts";

const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const valid = {
  name: "crm",
  env: ["CRM_URL", "CRM_SECRET"],
  events: ["clerk/user.created", "app/*"],
  signingSecret: "CRM_SECRET",
  request: (_event: FunctionEvent, env: Record<string, string>) => ({ url: env.CRM_URL as string }),
};
const env = { CRM_URL: "https://crm.example.com/hook", CRM_SECRET: SECRET };
const event = (name: string, data: Record<string, unknown> = {}): FunctionEvent => ({
  id: "e1",
  name,
  data,
  ts: 0,
  receivedAt: 0,
  source: "test",
});

function refusal(definition: unknown, environment: Record<string, string> = env): StartupError {
  try {
    checkDestination(definition, "/srv/destinations/crm.ts", environment);
  } catch (error) {
    assert.ok(isStartupError(error), String(error));
    return error as StartupError;
  }
  assert.fail("expected the destination to be refused");
}

describe("checking a destination module", () => {
  test("a valid one with its variables set is on, matches its patterns, and builds its request from them", async () => {
    const crm = checkDestination(valid, "crm.ts", env);
    assert.equal(crm.on, true);
    assert.deepEqual(crm.missing, []);
    assert.equal(crm.timeoutMs, 10_000);
    assert.equal(crm.signingSecret, SECRET);
    assert.equal(crm.matches(event("clerk/user.created")), true);
    assert.equal(crm.matches(event("app/anything")), true);
    assert.equal(crm.matches(event("clerk/user.deleted")), false);
    assert.deepEqual(await crm.request(event("app/x")), { url: "https://crm.example.com/hook" });
  });

  test("without a name it is named after its file", () => {
    const { name: _name, ...unnamed } = valid;
    assert.equal(checkDestination(unnamed, "/srv/destinations/billing-crm.ts", env).name, "billing-crm");
    assert.throws(
      () => checkDestination(unnamed, "/srv/destinations/Billing CRM.ts", env),
      /name: "Billing CRM" must be lower-case/,
    );
  });

  test("with a variable unset it is off and names what is missing", () => {
    const crm = checkDestination(valid, "crm.ts", { CRM_URL: "https://crm.example.com/hook" });
    assert.equal(crm.on, false);
    assert.deepEqual(crm.missing, ["CRM_SECRET"]);
  });

  test("its if is CEL over the event, and an event without the field does not match", () => {
    const pro = checkDestination({ ...valid, if: "event.data.plan == 'pro'" }, "crm.ts", env);
    assert.equal(pro.matches(event("app/x", { plan: "pro" })), true);
    assert.equal(pro.matches(event("app/x", { plan: "free" })), false);
    assert.equal(pro.matches(event("app/x")), false);
  });

  const refusals: Array<[string, unknown, RegExp]> = [
    ["an unknown field (a typo) is refused", { ...valid, evnets: ["x"] }, /evnets/],
    ["a name that cannot name a step is refused", { ...valid, name: "My CRM" }, /name: "My CRM" must be lower-case/],
    ["no event pattern is refused", { ...valid, events: [] }, /events: needs at least one event pattern/],
    ["a request that is not a function is refused", { ...valid, request: { url: "x" } }, /request: must be a function/],
    ["a lower-case variable name is refused", { ...valid, env: ["crm_url"] }, /upper-case/],
    [
      "a signing secret outside env is refused",
      { ...valid, signingSecret: "OTHER" },
      /signingSecret: OTHER must be one of env/,
    ],
    [
      "a variable read as a webhook source's secret is refused",
      { ...valid, env: ["CRM_WEBHOOK_SECRET"], signingSecret: undefined },
      /CRM_WEBHOOK_SECRET ends in _WEBHOOK_SECRET/,
    ],
    ["an invalid if is refused", { ...valid, if: "event.data.plan ==" }, /invalid expression/],
    ["an unreadable timeout is refused", { ...valid, timeout: "soon" }, /timeout: "soon" is not a duration/],
    ["a zero timeout is refused", { ...valid, timeout: 0 }, /timeout: 0/],
    ["a module that exports nothing usable is refused", "https://example.com", /expected object/],
  ];
  for (const [name, definition, message] of refusals) {
    test(name, () => {
      const error = refusal(definition);
      assert.equal(error.code, "destination_invalid");
      assert.match(error.message, /^\/srv\/destinations\/crm\.ts: /);
      assert.match(error.message, message);
    });
  }

  test("a signing secret that is set but not a whsec_ secret stops the start as config_invalid, naming the variable", () => {
    const error = refusal(valid, { ...env, CRM_SECRET: "not-a-secret" });
    assert.equal(error.code, "config_invalid");
    assert.match(error.message, /CRM_SECRET \(the signing secret of destination "crm"/);
    assert.doesNotMatch(error.message, /not-a-secret/);
  });

  test("a whsec_ signing secret that is not valid base64 (a truncated paste) is refused at start, not at the first delivery", () => {
    const error = refusal(valid, { ...env, CRM_SECRET: "whsec_abc" });
    assert.equal(error.code, "config_invalid");
    assert.match(
      error.message,
      /CRM_SECRET \(the signing secret of destination "crm" in .*\): the secret is not valid base64 after whsec_/,
    );
    assert.doesNotMatch(error.message, /whsec_abc/);
  });
});
