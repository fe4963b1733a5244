import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, describe, test } from "node:test";
import { createFunction } from "../../src/client/index.ts";
import { isStartupError } from "../../src/errors.ts";
import { startTestEngine } from "../helpers/engine-harness.ts";
import { startTestServices } from "../helpers/test-services.ts";
import { dropPrefix, everythingStored, testPrefix } from "../helpers/test-redis.ts";

const key = () => randomBytes(32).toString("base64");
const EMAIL = "ada.lovelace@example.org";

const profile = createFunction(
  { id: "profile", triggers: [{ event: "clerk/user.created" }] },
  async ({ event, step }) => {
    const email = await step.run("read-email", () => event.data.email_addresses[0].email_address as string);
    return { greeted: email };
  },
);

describe("ENCRYPTION_KEY: personal data sealed at rest, opened only in the worker and the operator API", () => {
  const prefix = testPrefix();
  after(() => dropPrefix(prefix));

  test("the event's data, step outputs and run output are sealed in Redis; the handler and the API see them in clear", async () => {
    const first = key();
    const engine = await startTestEngine([profile], { env: { REDIS_PREFIX: prefix, ENCRYPTION_KEY: first } });
    try {
      await engine.send({
        id: "sealed-1",
        name: "clerk/user.created",
        data: { id: "user_1", email_addresses: [{ email_address: EMAIL }] },
        user: { email: EMAIL },
      });
      const run = await engine.waitForRun(engine.runId("profile", "sealed-1"), "completed");
      assert.deepEqual(run.output, { greeted: EMAIL }, "the worker opened the event; the API opens the output");
      assert.equal(run.steps[0]?.output, EMAIL);
      assert.deepEqual((await engine.eventLog.getEvent("sealed-1"))?.user, { email: EMAIL });
      const raw = await everythingStored(engine.redis, prefix);
      assert.ok(!raw.includes(EMAIL), "no email in clear anywhere under the prefix");
      assert.match(raw, /enc:v1:/);
    } finally {
      await engine.close();
    }
  });

  test("a rotation: with the new key first and the old one after, old data opens and new data is sealed with the new key", async () => {
    const rotationPrefix = testPrefix();
    const [oldKey, newKey] = [key(), key()];
    const before = await startTestEngine([profile], { env: { REDIS_PREFIX: rotationPrefix, ENCRYPTION_KEY: oldKey } });
    await before.send({
      id: "old-1",
      name: "clerk/user.created",
      data: { id: "user_2", email_addresses: [{ email_address: EMAIL }] },
    });
    await before.waitForRun(before.runId("profile", "old-1"), "completed");
    await before.workers.close();
    const after = await startTestEngine([profile], {
      env: { REDIS_PREFIX: rotationPrefix, ENCRYPTION_KEY: `${newKey},${oldKey}` },
    });
    try {
      assert.deepEqual((await after.store.getRun(after.runId("profile", "old-1")))?.output, { greeted: EMAIL });
      await after.send({
        id: "new-1",
        name: "clerk/user.created",
        data: { id: "user_3", email_addresses: [{ email_address: EMAIL }] },
      });
      assert.deepEqual((await after.waitForRun(after.runId("profile", "new-1"), "completed")).output, {
        greeted: EMAIL,
      });
    } finally {
      await after.close();
      await before.close().catch(() => undefined);
    }
  });

  const refusals: Array<[string, (sealedWith: string) => Record<string, string>, RegExp]> = [
    [
      "a key that opens nothing stored here",
      () => ({ ENCRYPTION_KEY: key() }),
      /ENCRYPTION_KEY: none of the configured keys opens the data in this Redis/,
    ],
    [
      "no key while sealed data is stored",
      () => ({ ENCRYPTION_KEY: "" }),
      /ENCRYPTION_KEY: this Redis holds data sealed with an ENCRYPTION_KEY, and none is set/,
    ],
  ];
  for (const [name, env, message] of refusals) {
    test(`${name} stops the start, naming ENCRYPTION_KEY`, async () => {
      const sealedPrefix = testPrefix();
      const sealing = await startTestServices({ REDIS_PREFIX: sealedPrefix, ENCRYPTION_KEY: key() });
      await sealing.services.close();
      await assert.rejects(
        startTestServices({ REDIS_PREFIX: sealedPrefix, ...env("") }),
        (error: Error) => isStartupError(error) && error.code === "config_invalid" && message.test(error.message),
      );
      await dropPrefix(sealedPrefix);
    });
  }

  test("a key that is not 32 bytes of base64 is a configuration error, and an unset key is warned about", async () => {
    await assert.rejects(
      startTestServices({ ENCRYPTION_KEY: "c2hvcnQ=" }),
      /ENCRYPTION_KEY: each key must be 32 bytes in base64/,
    );
    const open = await startTestServices({}, { captureLogs: true });
    try {
      assert.ok(open.logs.some((line) => String(line.msg).startsWith("ENCRYPTION_KEY is not set")));
    } finally {
      await open.close();
    }
  });
});
