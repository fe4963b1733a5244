import assert from "node:assert/strict";
import type { Server } from "node:http";
import { after, before, describe, test } from "node:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCapturedCli } from "../helpers/cli.ts";
import { createRun, makeOperatorApp, type OperatorApp } from "../helpers/operator-app.ts";

const ADMIN_TOKEN = "cli-test-admin-token-000";

/** The CLI in-process, talking HTTP to a real receiver with the operator API. */
describe("bridge CLI against a running bridge", () => {
  let t: OperatorApp;
  let server: Server;
  let env: Record<string, string>;
  const dir = mkdtempSync(join(tmpdir(), "bridge-cli-"));

  const cli = (argv: string[], extraEnv: Record<string, string> = {}) => runCapturedCli(argv, { ...env, ...extraEnv });

  before(async () => {
    t = await makeOperatorApp({ ADMIN_TOKEN });
    server = t.app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    env = { BRIDGE_URL: `http://127.0.0.1:${(server.address() as { port: number }).port}`, ADMIN_TOKEN };
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    await t.close();
  });

  test("send posts an event file to the Event API and prints its id", async () => {
    const file = join(dir, "event.json");
    writeFileSync(file, JSON.stringify({ name: "app/cli.sent", data: { from: "cli" } }));
    const { code, stdout } = await cli(["send", file]);
    assert.equal(code, 0);
    const event = await t.eventLog.getEvent(stdout.trim());
    assert.equal(event?.name, "app/cli.sent");
    assert.equal(event?.source, "api");
  });

  test("replay prints the new event's id; --data replays with changed data", async () => {
    const file = join(dir, "original.json");
    writeFileSync(file, JSON.stringify({ name: "app/cli.replayed", data: { n: 1 } }));
    const original = (await cli(["send", file])).stdout.trim();
    const replay = await cli(["replay", original]);
    assert.equal(replay.code, 0);
    const copy = await t.eventLog.getEvent(replay.stdout.trim());
    assert.equal(copy?.replayOf, original);
    assert.deepEqual(copy?.data, { n: 1 });

    const data = join(dir, "data.json");
    writeFileSync(data, JSON.stringify({ n: 2 }));
    const edited = await cli(["replay", original, "--data", data]);
    assert.deepEqual((await t.eventLog.getEvent(edited.stdout.trim()))?.data, { n: 2 });
  });

  test("runs --status failed lists only failed runs", async () => {
    const event = (await t.eventLog.getEvent((await cli(["send", join(dir, "event.json")])).stdout.trim()))!;
    await createRun(t, "cli-run-ok", event, "sync", "completed");
    await createRun(t, "cli-run-bad", event, "sync", "failed");
    const { code, stdout } = await cli(["runs", "--status", "failed"]);
    assert.equal(code, 0);
    assert.match(stdout, /^RUN\s+FUNCTION\s+STATUS/);
    assert.match(stdout, /cli-run-bad\s+sync\s+failed/);
    assert.doesNotMatch(stdout, /cli-run-ok/);
    const json = await cli(["runs", "--json", "--function", "sync"]);
    assert.deepEqual(
      JSON.parse(json.stdout)
        .map((run: { id: string }) => run.id)
        .sort(),
      ["cli-run-bad", "cli-run-ok"],
    );
  });

  test("operator commands say when ADMIN_TOKEN is missing or wrong", async () => {
    const missing = await cli(["runs"], { ADMIN_TOKEN: "" });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /401 unauthorized: .*\(set ADMIN_TOKEN\)/);
    const unknown = await cli(["replay", "no-such-event"]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /404 not_found: no event no-such-event/);
  });

  test("says so when no bridge answers at BRIDGE_URL", async () => {
    const { code, stderr } = await cli(["runs"], { BRIDGE_URL: "http://127.0.0.1:9" });
    assert.equal(code, 2);
    assert.match(stderr, /cannot reach the bridge at http:\/\/127\.0\.0\.1:9/);
  });
});
