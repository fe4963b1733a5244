import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { Webhook } from "svix";
import { loadConfig } from "../../src/config/load-config.ts";
import { isStartupError } from "../../src/errors.ts";
import {
  adoptLocalWebhookSecret,
  describeLocalWebhookSecret,
  ensureLocalWebhookSecret,
  readLocalWebhookSecret,
} from "../../src/webhooks/local-webhook-secret.ts";
import { parseWebhookSecrets } from "../../src/webhooks/webhook-secrets.ts";
import { TEST_SECRET } from "../helpers/sign-fixture.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const freshDir = () => mkdtempSync(join(tmpdir(), "cwb-local-secret-"));

describe("the local webhook secret in DATA_DIR", () => {
  test("the first call makes a whsec_ secret only its owner can read; the next ones read the same", () => {
    const dataDir = join(freshDir(), "not-yet-there");
    const first = ensureLocalWebhookSecret(dataDir);
    assert.equal(first.created, true);
    assert.equal(first.file, join(dataDir, "clerk-webhook-secret"));
    assert.deepEqual(parseWebhookSecrets(first.secret), { secrets: [first.secret], problems: [] });
    assert.equal(Buffer.from(first.secret.slice(6), "base64").length, 24, "as long as the secrets Svix makes");
    assert.equal(statSync(first.file).mode & 0o777, 0o600);
    assert.doesNotThrow(() => new Webhook(first.secret).sign("msg_1", new Date(), "{}"));
    const second = ensureLocalWebhookSecret(dataDir);
    assert.deepEqual(second, { ...first, created: false });
    assert.equal(readLocalWebhookSecret(dataDir), first.secret);
  });

  test("processes starting at the same moment on one DATA_DIR all end up with the one secret", async () => {
    const dataDir = freshDir();
    const script = `import { ensureLocalWebhookSecret } from "./src/webhooks/local-webhook-secret.ts";
      const { secret, created } = ensureLocalWebhookSecret(process.env.DATA_DIR);
      process.stdout.write(JSON.stringify({ secret, created }));`;
    const outputs = await Promise.all(
      Array.from(
        { length: 6 },
        () =>
          new Promise<{ secret: string; created: boolean }>((resolve, reject) => {
            const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
              cwd: ROOT,
              env: { ...process.env, DATA_DIR: dataDir },
            });
            let out = "";
            child.stdout.on("data", (chunk) => (out += chunk));
            child.on("exit", (code) =>
              code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`exit ${code}: ${out}`)),
            );
          }),
      ),
    );
    assert.equal(new Set(outputs.map((output) => output.secret)).size, 1, "one secret for all");
    assert.equal(outputs.filter((output) => output.created).length, 1, "written once");
    assert.equal(readLocalWebhookSecret(dataDir), outputs[0]?.secret);
  });

  test("a damaged file stops the start naming it, rather than verifying with garbage", () => {
    const dataDir = freshDir();
    writeFileSync(join(dataDir, "clerk-webhook-secret"), "whsec_abc\n");
    assert.throws(
      () => ensureLocalWebhookSecret(dataDir),
      (error: unknown) =>
        isStartupError(error) &&
        error.code === "config_invalid" &&
        /clerk-webhook-secret \(the local webhook secret\): the secret is not valid base64.*delete the file/.test(
          error.message,
        ),
    );
  });
});

describe("which bridges adopt it", () => {
  test("development with CLERK_WEBHOOK_SECRET unset: the receiver verifies /webhooks/clerk with the local secret, and says so", () => {
    const dataDir = freshDir();
    const { config, local } = adoptLocalWebhookSecret(loadConfig({ DATA_DIR: dataDir }));
    assert.ok(local);
    assert.deepEqual(config.webhookSecrets.clerk, [local.secret]);
    assert.deepEqual(config.localWebhookSecret, {
      source: "clerk",
      variable: "CLERK_WEBHOOK_SECRET",
      file: join(dataDir, "clerk-webhook-secret"),
    });
    assert.ok(Object.isFrozen(config) && Object.isFrozen(config.webhookSecrets));
    assert.match(
      describeLocalWebhookSecret(local),
      new RegExp(
        `^webhooks: CLERK_WEBHOOK_SECRET is not set: created a local signing secret in ${dataDir}/clerk-webhook-secret; /webhooks/clerk verifies with it`,
      ),
    );
    // As text, not a RegExp: a base64 secret may hold `+`, which a pattern would read as a repetition.
    assert.ok(!describeLocalWebhookSecret(local).includes(local.secret.slice(6)), "never the secret itself");
    const again = adoptLocalWebhookSecret(loadConfig({ DATA_DIR: dataDir, ROLE: "receiver" }));
    assert.deepEqual(again.config.webhookSecrets.clerk, [local.secret]);
    assert.match(describeLocalWebhookSecret(again.local!), /using the local signing secret in/);
  });

  const refusals: Array<[string, Record<string, string>]> = [
    ["NODE_ENV=production: an unset secret stays a refusal", { NODE_ENV: "production" }],
    ["a worker, which receives no webhooks", { ROLE: "worker" }],
    ["CLERK_WEBHOOK_SECRET set: that secret, and only it", { CLERK_WEBHOOK_SECRET: TEST_SECRET }],
  ];
  for (const [name, env] of refusals) {
    test(`none for ${name}`, () => {
      const dataDir = freshDir();
      const loaded = loadConfig({ DATA_DIR: dataDir, ...env });
      const { config, local } = adoptLocalWebhookSecret(loaded);
      assert.equal(local, undefined);
      assert.equal(config, loaded);
      assert.equal(existsSync(join(dataDir, "clerk-webhook-secret")), false);
      assert.deepEqual(config.webhookSecrets.clerk, env.CLERK_WEBHOOK_SECRET ? [TEST_SECRET] : undefined);
    });
  }

  test("the secret file holds the secret on one line, so an operator can copy it", () => {
    const { file, secret } = ensureLocalWebhookSecret(freshDir());
    assert.equal(readFileSync(file, "utf8"), `${secret}\n`);
  });
});
