import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { Webhook } from "svix";
import { COMMANDS } from "../../src/cli/main.ts";
import { formatRunsTable } from "../../src/cli/runs-command.ts";
import { quote, signedCurl } from "../../src/cli/sign-command.ts";
import { RUN_STATUSES } from "../../src/engine/store/run-state.ts";
import { ensureLocalWebhookSecret } from "../../src/webhooks/local-webhook-secret.ts";
import { runCapturedCli } from "../helpers/cli.ts";
import { clerkFixture, CLERK_SAMPLES_DIR, TEST_SECRET } from "../helpers/sign-fixture.ts";

const noNetwork = (() => Promise.reject(new Error("no network in unit tests"))) as unknown as typeof fetch;

/** Runs the CLI in-process with captured output; unless a test passes its own, fetch always fails. */
const cli = (argv: string[], env: Record<string, string> = {}, stdin = "", fetch = noNetwork) =>
  runCapturedCli(argv, env, { stdin, fetch });

const userCreated = join(CLERK_SAMPLES_DIR, "user.created.json");

/** The body and Svix headers of the curl command `bridge sign` printed, as curl would send them. */
function curlParts(command: string) {
  const header = (name: string) => new RegExp(`-H '${name}: ([^']+)'`).exec(command)?.[1] ?? "";
  // Let the shell undo the quoting, so what is verified is exactly what curl would send.
  const body = execFileSync("bash", ["-c", `printf '%s' ${/--data-raw ('(?:[^']|'\\\\'')*')/.exec(command)![1]}`], {
    encoding: "utf8",
  });
  return {
    body,
    headers: {
      "svix-id": header("svix-id"),
      "svix-timestamp": header("svix-timestamp"),
      "svix-signature": header("svix-signature"),
    },
  };
}

/** A user mistake: exit code 2 and exactly one line on stderr, never a stack trace. */
function assertOneLineUsageError(result: { code: number; stderr: string }, pattern: RegExp) {
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr, pattern);
  assert.equal(result.stderr.split("\n").length, 2, `expected one line, got:\n${result.stderr}`);
  assert.doesNotMatch(result.stderr, /\n\s+at /);
}

describe("bridge sign", () => {
  test("prints a curl command whose Svix headers verify against the body it sends", async () => {
    const { code, stdout } = await cli(["sign", userCreated], {
      CLERK_WEBHOOK_SECRET: TEST_SECRET,
      BRIDGE_URL: "http://bridge.test:9000/",
    });
    assert.equal(code, 0);
    // --fail-with-body: a refused delivery makes `| sh` fail, with the bridge's answer printed.
    assert.match(stdout, /^curl -sS --fail-with-body -X POST 'http:\/\/bridge\.test:9000\/webhooks\/clerk'/);
    const { body, headers } = curlParts(stdout);
    assert.deepEqual(JSON.parse(body), clerkFixture("user.created"));
    assert.doesNotThrow(() => new Webhook(TEST_SECRET).verify(body, headers));
  });

  test("quotes bodies with single quotes so the shell passes them unchanged", () => {
    const body = JSON.stringify({ name: "O'Brien", note: "it's $HOME and `ls`" });
    const echoed = execFileSync("bash", ["-c", `printf '%s' ${quote(body)}`], { encoding: "utf8" });
    assert.equal(echoed, body);
    const { headers } = signedCurl({ secret: TEST_SECRET, url: "http://x/webhooks/clerk", body, id: "msg_fixed" });
    assert.doesNotThrow(() => new Webhook(TEST_SECRET).verify(body, headers));
  });

  test("refuses to sign without the webhook secret or a local one, and says which variable is missing", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "cli-data-"));
    const result = await cli(["sign", userCreated], { DATA_DIR: dataDir });
    assertOneLineUsageError(
      result,
      /CLERK_WEBHOOK_SECRET is not set, and there is no local secret in .*cli-data-.*\/clerk-webhook-secret/,
    );
  });

  test("a secret that is not valid base64 is refused in one line naming the variable and which secret, never its value", async () => {
    const result = await cli(["sign", userCreated], { CLERK_WEBHOOK_SECRET: `${TEST_SECRET}, whsec_abc` });
    assertOneLineUsageError(
      result,
      /^bridge sign: CLERK_WEBHOOK_SECRET: the second of 2 secrets is not valid base64 after whsec_/,
    );
    assert.doesNotMatch(result.stderr, /whsec_abc|whsec_[A-Za-z0-9+/]{20}/);
    assert.equal(result.stdout, "");
  });

  test("signs with the local secret a development bridge made in DATA_DIR, and says so", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "cli-data-"));
    const { secret } = ensureLocalWebhookSecret(dataDir);
    const { code, stdout, stderr } = await cli(["sign", userCreated], { DATA_DIR: dataDir });
    assert.equal(code, 0, stderr);
    assert.match(stderr, new RegExp(`signed with the local secret in ${dataDir}/clerk-webhook-secret`));
    const { body, headers } = curlParts(stdout);
    assert.doesNotThrow(() => new Webhook(secret).verify(body, headers));
    // Under NODE_ENV=production the bridge never uses a local secret, so neither does sign.
    assertOneLineUsageError(
      await cli(["sign", userCreated], { DATA_DIR: dataDir, NODE_ENV: "production" }),
      /CLERK_WEBHOOK_SECRET is not set/,
    );
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
    const { code, stdout } = await cli(
      ["transform", "test", "clerk", "-"],
      {},
      JSON.stringify({ type: "session.ended", data: { id: "sess_1" } }),
    );
    assert.equal(code, 0);
    assert.equal(JSON.parse(stdout)[0].name, "clerk/session.ended");
  });

  // Issue 20: "Cannot require() ES Module ... in a cycle" for a template outside the checkout,
  // which npm start loaded: the CLI registered no module hook for TRANSFORMS_DIR.
  test("loads an unmodified copy of transforms/clerk.ts from a TRANSFORMS_DIR outside the checkout, as npm start does", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cli-transforms-"));
    copyFileSync(new URL("../../transforms/clerk.ts", import.meta.url), join(dir, "clerk.ts"));
    const inProcess = await cli(["transform", "test", "clerk", userCreated], { TRANSFORMS_DIR: dir });
    assert.equal(inProcess.code, 0, inProcess.stderr);
    assert.equal(JSON.parse(inProcess.stdout)[0].name, "clerk/user.created");
    // As a user runs it: bin/bridge.js, whose TypeScript loader handles ES modules only, in a
    // process of its own from another working directory. This is where the error was.
    const process_ = spawnSync(
      process.execPath,
      [fileURLToPath(new URL("../../bin/bridge.js", import.meta.url)), "transform", "test", "clerk", userCreated],
      {
        cwd: tmpdir(),
        env: { PATH: process.env.PATH, TRANSFORMS_DIR: dir },
        encoding: "utf8",
      },
    );
    assert.equal(process_.status, 0, process_.stderr);
    assert.deepEqual(JSON.parse(process_.stdout), JSON.parse(inProcess.stdout));
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

  test("start reports a bad configuration in one line and exits 1, as npm start does", async () => {
    const { code, stderr } = await cli(["start"], { PORT: "not-a-port" });
    assert.equal(code, 1);
    assert.match(stderr, /^bridge start: cannot start \[config_invalid\]: invalid configuration:\n  PORT: /);
  });

  test("the runs table aligns its columns", () => {
    const table = formatRunsTable([
      { id: "run-1", functionId: "user-sync", status: "failed", eventId: "msg_1", createdAt: Date.UTC(2026, 0, 2) },
      {
        id: "run-22",
        functionId: "onboarding-email",
        status: "completed",
        eventId: "msg_2",
        createdAt: Date.UTC(2026, 0, 1),
      },
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

describe("bridge --help and --version", () => {
  test("--help lists every command and exits 0", async () => {
    const { code, stdout } = await cli(["--help"]);
    assert.equal(code, 0);
    for (const name of Object.keys(COMMANDS)) assert.match(stdout, new RegExp(`^  bridge ${name} `, "m"));
    assert.match(stdout, /bridge <command> --help/);
    assert.match(stdout, /bridge --version/);
  });

  for (const name of Object.keys(COMMANDS)) {
    test(`${name} --help prints the usage of ${name} alone, runs nothing, and exits 0`, async () => {
      // No variables at all: run for real, most commands would fail for the lack of one.
      const { code, stdout, stderr } = await cli([name, "--help"]);
      assert.equal(code, 0, stderr);
      assert.match(stdout, new RegExp(`^usage: bridge ${name}`));
      assert.equal(stderr, "");
      for (const other of Object.keys(COMMANDS).filter((o) => o !== name)) {
        assert.doesNotMatch(stdout, new RegExp(`usage: bridge ${other}`));
      }
      assert.deepEqual(await cli(["help", name]), { code, stdout, stderr });
    });
  }

  test("runs --help lists the run statuses the engine knows", async () => {
    const { stdout } = await cli(["runs", "-h"]);
    assert.match(stdout, new RegExp(`--status <status> +${RUN_STATUSES.join(", ")}\n`));
  });

  test("--help after -- is an argument, not a request for help", async () => {
    const { code, stderr } = await cli(["sign", "--", "--help"], { CLERK_WEBHOOK_SECRET: TEST_SECRET });
    assert.equal(code, 2);
    assert.match(stderr, /cannot read --help/);
  });

  test("--version prints the version in package.json and exits 0", async () => {
    const { version } = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
    assert.deepEqual(await cli(["--version"]), { code: 0, stdout: `${version}\n`, stderr: "" });
  });
});

describe("bridge argument checks", () => {
  for (const argv of [["runs"], ["replay", "evt_1"], ["send", "-"], ["sign", "-"], ["trigger", "user.created"]]) {
    test(`a BRIDGE_URL without a scheme stops ${argv[0]} before any request, naming the fix`, async () => {
      const result = await cli(argv, { BRIDGE_URL: "localhost:8288", CLERK_WEBHOOK_SECRET: TEST_SECRET }, "{}");
      assertOneLineUsageError(
        result,
        /BRIDGE_URL must be an http:\/\/ or https:\/\/ URL, got "localhost:8288"; did you mean BRIDGE_URL=http:\/\/localhost:8288\?/,
      );
    });
  }

  test("a BRIDGE_URL with another scheme is refused too", async () => {
    assertOneLineUsageError(
      await cli(["runs"], { BRIDGE_URL: "ftp://bridge.test" }),
      /BRIDGE_URL must be an http:\/\/ or https:\/\/ URL, got "ftp:\/\/bridge.test"$/m,
    );
  });

  test("runs refuses a status the engine does not have, listing the ones it has", async () => {
    assertOneLineUsageError(
      await cli(["runs", "--status", "broken"]),
      new RegExp(`--status must be one of ${RUN_STATUSES.join(", ")}, got "broken"`),
    );
  });

  for (const limit of ["abc", "0", "-1", "201", "1.5", "1e2", ""]) {
    test(`runs refuses --limit "${limit}", naming the range`, async () => {
      assertOneLineUsageError(
        await cli(["runs", "--limit", limit]),
        new RegExp(`--limit must be a whole number from 1 to 200, got "${limit.replace(".", "\\.")}"`),
      );
    });
  }

  test("runs passes every known status and a limit in range to the operator API", async () => {
    const requested: string[] = [];
    const fetch = (async (url: string) => {
      requested.push(url);
      return new Response(JSON.stringify({ runs: [] }), { headers: { "content-type": "application/json" } });
    }) as unknown as typeof globalThis.fetch;
    for (const status of RUN_STATUSES) {
      const { code } = await cli(
        ["runs", "--status", status, "--limit", "200"],
        { BRIDGE_URL: "http://bridge.test/" },
        "",
        fetch,
      );
      assert.equal(code, 0);
    }
    assert.deepEqual(
      requested,
      RUN_STATUSES.map((status) => `http://bridge.test/api/runs?limit=200&status=${status}`),
    );
  });

  test("migrate without DATABASE_URL says what to set", async () => {
    assertOneLineUsageError(
      await cli(["migrate"]),
      /^bridge migrate: DATABASE_URL is not set: set it to the PostgreSQL database to migrate/,
    );
  });

  test("migrate takes no arguments", async () => {
    assertOneLineUsageError(
      await cli(["migrate", "now"], { DATABASE_URL: "postgres://postgres@127.0.0.1:1/test" }),
      /Unexpected argument 'now'/,
    );
  });
});
