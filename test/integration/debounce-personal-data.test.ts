import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { afterEach, describe, test } from "node:test";
import { createFunction } from "../../src/engine/index.ts";
import { bridgeKeys } from "../../src/redis/keys.ts";
import { startTestEngine, type TestEngine } from "../helpers/engine-harness.ts";
import { everythingStored } from "../helpers/test-redis.ts";
import { waitUntil } from "../helpers/wait-until.ts";

const EMAIL = "ada.lovelace@example.org";

let engine: TestEngine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

/** Sends one event and waits until the router has recorded it (and so put it in its debounces). */
async function sendRouted(engine: TestEngine, event: { id: string; name: string; data: Record<string, unknown> }): Promise<void> {
  await engine.send(event);
  await waitUntil(async () => (await engine.eventLog.getEvent(event.id)) !== undefined && (await engine.redis.llen(`{${engine.prefix}}:events:wait`)) === 0 && (await engine.redis.llen(`{${engine.prefix}}:events:active`)) === 0);
}

describe("a debounce in progress holds personal data as every other stored copy does", () => {
  test("with ENCRYPTION_KEY its event is sealed in Redis, and the run gets it opened", async () => {
    const fn = createFunction({ id: "settle", triggers: [{ event: "app/profile.edited" }], debounce: { period: "2s" } }, ({ event }) => event.data.email);
    engine = await startTestEngine([fn], { env: { ENCRYPTION_KEY: randomBytes(32).toString("base64") } });
    await sendRouted(engine, { id: "edit-1", name: "app/profile.edited", data: { user_id: "user_ada", email: EMAIL } });
    const held = await engine.redis.hget(bridgeKeys(engine.prefix).debounce("settle", ""), "event");
    assert.match(held ?? "", /"data":"enc:v1:/, "the debounce holds the event, its data sealed");
    assert.ok(!(await everythingStored(engine.redis, engine.prefix)).includes(EMAIL), "no email in clear anywhere under the prefix");
    assert.equal((await engine.waitForRun(engine.runId("settle", "edit-1"), "completed")).output, EMAIL);
  });
});
