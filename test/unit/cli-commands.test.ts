import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { Webhook } from "svix";
import type { CliIo } from "../../src/cli/cli-io.ts";
import { runCli } from "../../src/cli/main.ts";
import { formatRunsTable } from "../../src/cli/runs-command.ts";
import { quote, signedCurl } from "../../src/cli/sign-command.ts";
import { clerkFixture, FIXTURES_DIR, TEST_SECRET } from "../helpers/sign-fixture.ts";

/** Runs the CLI in-process with captured output; fetch must not be reached by these commands. */
async function cli(argv: string[], env: Record<string, string> = {}, stdin = "") {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    env,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    readStdin: async () => stdin,
    fetch: (() => Promise.reject(new Error("no network in unit tests"))) as unknown as typeof fetch,
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

const userCreated = join(FIXTURES_DIR, "clerk", "user.created.json");

describe("bridge sign", () => {
  test("prints a curl command whose Svix headers verify against the body it sends", async () => {
    const { code, stdout } = await cli(["sign", userCreated], { CLERK_WEBHOOK_SECRET: TEST_SECRET, BRIDGE_URL: "http://bridge.test:9000/" });
    assert.equal(code, 0);
    assert.match(stdout, /^curl -sS -X POST 'http:\/\/bridge\.test:9000\/webhooks\/clerk'/);
    const header = (name: string) => new RegExp(`-H '${name}: ([^']+)'`).exec(stdout)?.[1];
    // Let the shell undo the quoting, so what is verified is exactly what curl would send.
    const body = execFileSync("bash", ["-c", `printf '%s' ${/--data-raw ('(?:[^']|'\\\\'')*')/.exec(stdout)![1]}`], { encoding: "utf8" });
    assert.deepEqual(JSON.parse(body), clerkFixture("user.created"));
    const headers = { "svix-id": header("svix-id")!, "svix-timestamp": header("svix-timestamp")!, "svix-signature": header("svix-signature")! };
    assert.doesNotThrow(() => new Webhook(TEST_SECRET).verify(body, headers));
  });

  test("quotes bodies with single quotes so the shell passes them unchanged", () => {
    const body = JSON.stringify({ name: "O'Brien", note: "it's $HOME and `ls`" });
    const echoed = execFileSync("bash", ["-c", `printf '%s' ${quote(body)}`], { encoding: "utf8" });
    assert.equal(echoed, body);
    const { headers } = signedCurl({ secret: TEST_SECRET, url: "http://x/webhooks/clerk", body, id: "msg_fixed" });
    assert.doesNotThrow(() => new Webhook(TEST_SECRET).verify(body, headers));
  });

  test("refuses to sign without the webhook secret, and says which variable is missing", async () => {
    const { code, stderr } = await cli(["sign", userCreated]);
    assert.equal(code, 2);
    assert.match(stderr, /CLERK_WEBHOOK_SECRET is not set/);
  });

  test("names the file that is not JSON", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cli-"));
    writeFileSync(join(dir, "broken.json"), "{ nope");
    const { code, stderr } = await cli(["sign", join(dir, "broken.json")], { CLERK_WEBHOOK_SECRET: TEST_SECRET });
    assert.equal(code, 2);
    assert.match(stderr, /broken\.json is not JSON/);
  });
});

describe("bridge transform test", () => {
  test("prints the events the Clerk template makes from a payload, and sends nothing", async () => {
    const { code, stdout, stderr } = await cli(["transform", "test", "clerk", userCreated]);
    assert.equal(code, 0);
    const events = JSON.parse(stdout);
    assert.equal(events.length, 1);
    assert.equal(events[0].name, "clerk/user.created");
    assert.deepEqual(events[0].data, clerkFixture("user.created").data);
    assert.match(stderr, /1 event; nothing was sent/);
  });

  test("reads the payload from stdin with -", async () => {
    const { code, stdout } = await cli(["transform", "test", "clerk", "-"], {}, JSON.stringify({ type: "session.ended", data: { id: "sess_1" } }));
    assert.equal(code, 0);
    assert.equal(JSON.parse(stdout)[0].name, "clerk/session.ended");
  });

  test("lists the known sources when the source has no template", async () => {
    const { code, stderr } = await cli(["transform", "test", "stripe", userCreated]);
    assert.equal(code, 2);
    assert.match(stderr, /no template for source "stripe".*found: clerk/);
  });

  test("reports a template failure as the bridge would (422 transform_failed)", async () => {
    const { code, stderr } = await cli(["transform", "test", "clerk", "-"], {}, JSON.stringify({ data: {} }));
    assert.equal(code, 2);
    assert.match(stderr, /transform "clerk" failed: a Clerk webhook must have a string `type`/);
  });
});

describe("bridge", () => {
  test("an unknown command prints the usage and fails", async () => {
    const { code, stderr } = await cli(["deploy"]);
    assert.equal(code, 1);
    assert.match(stderr, /unknown command "deploy"[\s\S]*bridge transform test/);
  });

  test("an unknown option is a usage error, not a crash", async () => {
    const { code, stderr } = await cli(["runs", "--colour"]);
    assert.equal(code, 2);
    assert.match(stderr, /Unknown option '--colour'/);
  });

  test("start refuses a role that does not exist", async () => {
    const { code, stderr } = await cli(["start", "--role", "both"]);
    assert.equal(code, 2);
    assert.match(stderr, /--role must be one of all, receiver, worker/);
  });

  test("start reports a bad configuration in one line", async () => {
    const { code, stderr } = await cli(["start"], { PORT: "not-a-port" });
    assert.equal(code, 2);
    assert.match(stderr, /^bridge start: cannot start \[config_invalid\]: invalid configuration:\n  PORT: /);
  });

  test("the runs table aligns its columns", () => {
    const table = formatRunsTable([
      { id: "run-1", functionId: "user-sync", status: "failed", eventId: "msg_1", createdAt: Date.UTC(2026, 0, 2) },
      { id: "run-22", functionId: "onboarding-email", status: "completed", eventId: "msg_2", createdAt: Date.UTC(2026, 0, 1) },
    ]);
    assert.equal(
      table,
      [
        "RUN     FUNCTION          STATUS     STARTED                   EVENT",
        "run-1   user-sync         failed     2026-01-02T00:00:00.000Z  msg_1",
        "run-22  onboarding-email  completed  2026-01-01T00:00:00.000Z  msg_2",
        "",
      ].join("\n"),
    );
  });
});
