import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { runCapturedCli } from "../helpers/cli.ts";
import { perSuite } from "../helpers/per-suite.ts";
import { CLERK_SAMPLES_DIR, TEST_SECRET } from "../helpers/sign-fixture.ts";
import { startWholeBridge, type WholeBridge } from "../helpers/whole-bridge.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const OTHER_SECRET = `whsec_${Buffer.from("a secret of another endpoint!").toString("base64")}`;

/** The CLI in-process, with the real fetch, against a bridge listening on a port. */
const cli = (argv: string[], env: Record<string, string>) => runCapturedCli(argv, env);

function runProcess(
  command: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, cwd: ROOT });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** A line `name: value` of the command's output. */
const field = (output: string, name: string) => new RegExp(`^${name}: (.+)$`, "m").exec(output)?.[1];

async function storedEvent(
  bridge: WholeBridge,
  id: string,
): Promise<{ name: string; data: Record<string, any>; source: string }> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const response = await fetch(`${bridge.base}/api/events/${encodeURIComponent(id)}`);
    if (response.ok)
      return ((await response.json()) as { event: { name: string; data: Record<string, any>; source: string } }).event;
    await sleep(50);
  }
  throw new Error(`event ${id} was never stored`);
}

describe("bridge trigger against a running bridge", () => {
  let bridge: WholeBridge;
  let env: Record<string, string>;
  before(async () => {
    bridge = await startWholeBridge();
    env = { BRIDGE_URL: bridge.base, CLERK_WEBHOOK_SECRET: TEST_SECRET };
  });
  after(() => bridge.close());

  test("user.created arrives as a signed Clerk delivery; the answer, the event id and its dashboard page are printed", async () => {
    const { code, stdout, stderr } = await cli(["trigger", "user.created"], env);
    assert.equal(code, 0, stderr);
    const id = field(stdout, "event")!;
    assert.match(id, /^msg_[0-9A-Za-z]{27}$/);
    assert.match(stdout, new RegExp(`^answer: 200 \\{"ids":\\["${id}"\\],"status":200\\}$`, "m"));
    assert.equal(field(stdout, "dashboard"), `${bridge.base}/#/events/${id}`);
    assert.match(stdout, /signed with CLERK_WEBHOOK_SECRET/);
    const event = await storedEvent(bridge, id);
    assert.equal(event.name, "clerk/user.created");
    assert.equal(event.source, "clerk");
    assert.equal(event.data.id, field(stdout, "data.id"));
    assert.equal(event.data.email_addresses[0].email_address, "example@example.org");
  });

  test("each trigger is a new delivery of a new user, never a redelivery", async () => {
    const first = await cli(["trigger", "user.created"], env);
    const second = await cli(["trigger", "user.created"], env);
    assert.notEqual(field(first.stdout, "event"), field(second.stdout, "event"));
    assert.notEqual(field(first.stdout, "data.id"), field(second.stdout, "data.id"));
    assert.equal((await storedEvent(bridge, field(second.stdout, "event")!)).name, "clerk/user.created");
  });

  for (const type of [
    "user.updated",
    "user.deleted",
    "session.created",
    "organization.created",
    "organizationMembership.created",
    "subscriptionItem.freeTrialEnding",
  ]) {
    test(`${type} is stored as clerk/${type}`, async () => {
      const { code, stdout } = await cli(["trigger", type], env);
      assert.equal(code, 0);
      assert.equal((await storedEvent(bridge, field(stdout, "event")!)).name, `clerk/${type}`);
    });
  }

  test("--data changes the sample before it is signed", async () => {
    const { code, stdout } = await cli(["trigger", "user.deleted", "--data", "id=user_2givenByTheTest"], env);
    assert.equal(code, 0);
    assert.equal((await storedEvent(bridge, field(stdout, "event")!)).data.id, "user_2givenByTheTest");
  });

  test("a delivery the bridge refuses prints its answer and exits 2", async () => {
    const { code, stdout, stderr } = await cli(["trigger", "user.created"], {
      ...env,
      CLERK_WEBHOOK_SECRET: OTHER_SECRET,
    });
    assert.equal(code, 2);
    assert.match(stdout, /^answer: 401 \{"error":\{"code":"signature_invalid"/m);
    assert.match(
      stderr,
      /^bridge trigger: the bridge refused the delivery: 401 signature_invalid: .*give this command its CLERK_WEBHOOK_SECRET/,
    );
    assert.equal(stderr.split("\n").length, 2, "one line");
  });

  test("bridge sign's curl delivers the user.created sample, and fails with the bridge's answer when refused", async () => {
    // Asynchronous children: the bridge answering curl runs in this process.
    const run = async (secret: string) => {
      const signed = await runProcess(
        process.execPath,
        ["bin/bridge.js", "sign", `${CLERK_SAMPLES_DIR}/user.created.json`],
        { PATH: process.env.PATH!, BRIDGE_URL: bridge.base, CLERK_WEBHOOK_SECRET: secret },
      );
      assert.equal(signed.code, 0, signed.stderr);
      return runProcess("sh", ["-c", signed.stdout], { PATH: process.env.PATH! });
    };
    const accepted = await run(TEST_SECRET);
    assert.equal(accepted.code, 0, accepted.stderr);
    assert.match(accepted.stdout, /^\{"ids":\["msg_[0-9A-Za-z]{27}"\],"status":200\}$/);
    const refused = await run(OTHER_SECRET);
    assert.equal(refused.code, 22, "curl --fail-with-body exits 22 on an HTTP error");
    assert.match(refused.stdout, /"code":"signature_invalid"/, "and prints the bridge's answer");
  });
});

describe("a bridge without CLERK_WEBHOOK_SECRET (as under NODE_ENV=production)", () => {
  const bridge = perSuite(
    "the bridge",
    () => startWholeBridge({ env: { CLERK_WEBHOOK_SECRET: "" } }),
    (started) => started.close(),
  );

  test("refuses every delivery with 401, naming CLERK_WEBHOOK_SECRET; trigger exits 2 with that answer", async () => {
    const { code, stdout, stderr } = await cli(["trigger", "user.created"], {
      BRIDGE_URL: bridge.base,
      CLERK_WEBHOOK_SECRET: TEST_SECRET,
    });
    assert.equal(code, 2);
    assert.match(stdout, /^answer: 401 /m);
    assert.match(
      stderr,
      /401 signature_invalid: CLERK_WEBHOOK_SECRET is not set, so no delivery can be verified: set it to the endpoint's signing secret/,
    );
  });
});
