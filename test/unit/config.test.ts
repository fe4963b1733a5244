import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { loadConfig } from "../../src/config/load-config.ts";
import { isStartupError } from "../../src/errors.ts";
import { TEST_SECRET } from "../helpers/sign-fixture.ts";

function configError(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(isStartupError(error) && error.code === "config_invalid");
    return error.message;
  }
  assert.fail("expected the configuration to be rejected");
}

describe("loadConfig", () => {
  test("an empty environment gives the documented defaults", () => {
    const config = loadConfig({});
    assert.equal(config.port, 8288);
    assert.equal(config.role, "all");
    assert.equal(config.redisUrl, undefined);
    assert.equal(config.maxBodyBytes, 1024 * 1024);
    assert.equal(config.dedupeWindowMs, 3 * 24 * 60 * 60 * 1000);
    assert.equal(config.retentionMs, 7 * 24 * 60 * 60 * 1000);
    assert.equal(config.onboardingDelayMs, 3 * 24 * 60 * 60 * 1000);
    assert.deepEqual(config.eventKeys, []);
    assert.deepEqual(config.functions, ["user-sync", "onboarding-email", "destinations"]);
    assert.deepEqual(config.webhookSecrets, {});
    assert.equal(config.destinationsDir, undefined);
  });

  test("the variables reach the modules that name their own (destinations) as given, empty ones unset", () => {
    const config = loadConfig({ SLACK_WEBHOOK_URL: "https://hooks.slack.com/services/T/B/x", INTERCOM_TOKEN: "" });
    assert.equal(config.environment.SLACK_WEBHOOK_URL, "https://hooks.slack.com/services/T/B/x");
    assert.equal("INTERCOM_TOKEN" in config.environment, false);
    assert.ok(Object.isFrozen(config.environment));
  });

  test("the result is frozen", () => {
    const config = loadConfig({});
    assert.ok(Object.isFrozen(config));
    assert.throws(() => {
      (config as { port: number }).port = 1;
    });
  });

  test("CLERK_WEBHOOK_SECRET takes several secrets, space- or comma-separated, for rotation", () => {
    const second = "whsec_" + Buffer.from("second").toString("base64");
    const config = loadConfig({ CLERK_WEBHOOK_SECRET: `${TEST_SECRET}, ${second}` });
    assert.deepEqual(config.webhookSecrets.clerk, [TEST_SECRET, second]);
    assert.deepEqual(loadConfig({ CLERK_WEBHOOK_SECRET: `${TEST_SECRET} ${second}` }).webhookSecrets.clerk, [
      TEST_SECRET,
      second,
    ]);
  });

  // Issue 20: a truncated paste matched the pattern, then the start died in svix with
  // "Base64Coder: incorrect padding" and a stack trace naming no variable.
  test("a whsec_ secret that is not valid base64 stops the configuration, naming the variable and which secret", () => {
    const alone = configError({ CLERK_WEBHOOK_SECRET: "whsec_abc" });
    assert.match(
      alone,
      /^invalid configuration:\n  CLERK_WEBHOOK_SECRET: the secret is not valid base64 after whsec_ \(3 characters, not a multiple of 4: a truncated paste\?\)/,
    );
    const rotation = configError({ CLERK_WEBHOOK_SECRET: `${TEST_SECRET} ${TEST_SECRET.slice(0, -3)}` });
    assert.match(rotation, /CLERK_WEBHOOK_SECRET: the second of 2 secrets is not valid base64/);
    assert.ok(!rotation.includes(TEST_SECRET.slice(6, 20)), "the message never repeats a secret");
    assert.match(
      configError({ ACME_WEBHOOK_SECRET: `whsec_abcd,whsec_${"x".repeat(31)}` }),
      /ACME_WEBHOOK_SECRET: the second of 2 secrets is not valid base64/,
    );
    assert.equal(
      configError({ CLERK_WEBHOOK_SECRET: "whsec_abc" }).split("\n").length,
      2,
      "one line for the one bad secret",
    );
  });

  test("any <SOURCE>_WEBHOOK_SECRET configures that source", () => {
    assert.deepEqual(loadConfig({ ACME_WEBHOOK_SECRET: TEST_SECRET }).webhookSecrets.acme, [TEST_SECRET]);
  });

  test("durations are parsed with ms", () => {
    const config = loadConfig({ DEDUPE_WINDOW: "36h", ONBOARDING_DELAY: "2s", RETENTION: "1 day" });
    assert.equal(config.dedupeWindowMs, 36 * 3600_000);
    assert.equal(config.onboardingDelayMs, 2000);
    assert.equal(config.retentionMs, 86_400_000);
  });

  test("DEV_BRIDGE_URL names another bridge to send events to, with DEV_BRIDGE_EVENT_KEY", () => {
    assert.equal(loadConfig({}).devBridge, undefined);
    assert.deepEqual(loadConfig({ DEV_BRIDGE_URL: "http://laptop.local:8288/", DEV_BRIDGE_EVENT_KEY: "k" }).devBridge, {
      url: "http://laptop.local:8288",
      eventKey: "k",
    });
    assert.deepEqual(loadConfig({ DEV_BRIDGE_URL: "https://dev.example.com" }).devBridge, {
      url: "https://dev.example.com",
      eventKey: "dev",
    });
    assert.match(
      configError({ DEV_BRIDGE_URL: "laptop:8288" }),
      /DEV_BRIDGE_URL: must be a URL starting with http:\/\/ or https:\/\//,
    );
  });

  test("empty strings count as unset", () => {
    assert.equal(loadConfig({ PORT: "", REDIS_URL: "" }).port, 8288);
  });

  test("an invalid value names its variable", () => {
    assert.match(configError({ PORT: "eighty" }), /PORT/);
    assert.match(configError({ PORT: "70000" }), /PORT/);
    assert.match(configError({ REDIS_URL: "localhost:6379" }), /REDIS_URL/);
    assert.match(configError({ CLERK_WEBHOOK_SECRET: "not-a-secret" }), /CLERK_WEBHOOK_SECRET: .*whsec_/);
    assert.match(configError({ ACME_WEBHOOK_SECRET: "nope" }), /ACME_WEBHOOK_SECRET/);
    assert.match(configError({ DEDUPE_WINDOW: "forever" }), /DEDUPE_WINDOW/);
    assert.match(configError({ MAX_BODY_BYTES: "-1" }), /MAX_BODY_BYTES/);
    assert.match(configError({ LOG_LEVEL: "loud" }), /LOG_LEVEL/);
    assert.match(configError({ ROLE: "both" }), /ROLE/);
    assert.match(configError({ DATABASE_URL: "mysql://x" }), /DATABASE_URL/);
    assert.match(configError({ ADMIN_TOKEN: "short" }), /ADMIN_TOKEN/);
  });

  test("TRUSTED_EVENT_KEYS must be a subset of EVENT_KEYS, and the error never prints a key", () => {
    const config = loadConfig({ EVENT_KEYS: "key-one,key-two", TRUSTED_EVENT_KEYS: "key-two" });
    assert.deepEqual(config.trustedEventKeys, ["key-two"]);
    assert.deepEqual(loadConfig({}).trustedEventKeys, []);
    const outside = configError({ EVENT_KEYS: "key-one", TRUSTED_EVENT_KEYS: "secret-key-elsewhere" });
    assert.match(outside, /TRUSTED_EVENT_KEYS: every key must also be listed in EVENT_KEYS/);
    assert.doesNotMatch(outside, /secret-key-elsewhere/);
    assert.match(
      configError({ TRUSTED_EVENT_KEYS: "key-one" }),
      /TRUSTED_EVENT_KEYS/,
      "EVENT_KEYS unset: nothing can be trusted",
    );
  });

  test("TRUST_PROXY is off by default and takes what Express's trust proxy takes", () => {
    assert.equal(loadConfig({}).trustProxy, false);
    assert.equal(loadConfig({ TRUST_PROXY: "false" }).trustProxy, false);
    assert.equal(loadConfig({ TRUST_PROXY: "true" }).trustProxy, true);
    assert.equal(loadConfig({ TRUST_PROXY: "2" }).trustProxy, 2);
    assert.deepEqual(loadConfig({ TRUST_PROXY: "loopback" }).trustProxy, ["loopback"]);
    assert.deepEqual(loadConfig({ TRUST_PROXY: "loopback, 10.0.0.0/8,fd00::/8, 192.0.2.1" }).trustProxy, [
      "loopback",
      "10.0.0.0/8",
      "fd00::/8",
      "192.0.2.1",
    ]);
    for (const wrong of ["yes", "10.0.0.0/33", "300.1.1.1", "loopback,proxy.example", ","]) {
      assert.match(configError({ TRUST_PROXY: wrong }), /TRUST_PROXY/, wrong);
    }
  });

  test("every problem is reported at once", () => {
    const message = configError({ PORT: "x", LOG_LEVEL: "loud" });
    assert.match(message, /PORT/);
    assert.match(message, /LOG_LEVEL/);
  });
});
