import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, describe, test } from "node:test";
import { runCli } from "../../src/cli/main.ts";
import { rekey } from "../../src/crypto/rekey.ts";
import { createSealer, keyIdOf } from "../../src/crypto/sealer.ts";
import { createFunction } from "../../src/client/index.ts";
import { isStartupError } from "../../src/errors.ts";
import { bridgeKeys } from "../../src/redis/keys.ts";
import { startTestEngine } from "../helpers/engine-harness.ts";
import { startTestServices } from "../helpers/test-services.ts";
import { clerkFixture } from "../helpers/sign-fixture.ts";
import { dropPrefix, everythingStored, TEST_REDIS_URL, testPrefix } from "../helpers/test-redis.ts";

const EMAIL = "grace.hopper@example.org";
const key = () => randomBytes(32);
const b64 = (k: Buffer) => k.toString("base64");

const profile = createFunction(
  { id: "profile", triggers: [{ event: "clerk/user.created" }] },
  async ({ event, step }) => {
    const email = await step.run("read-email", () => event.data.email_addresses[0].email_address as string);
    return { greeted: email };
  },
);

/** `bridge rekey` in-process, with the variables given; answers its exit code and what it printed. */
async function runRekey(
  env: Record<string, string>,
  args: string[] = [],
): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const io = {
    env,
    fetch,
    readStdin: async () => "",
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
  };
  const code = await runCli(["rekey", ...args], io);
  return { code, out, err };
}

/** Issue 19, Medium 6: the first encryption key could never be retired (the canary stayed sealed with it). */
describe("retiring an encryption key: key1 → key2,key1 → bridge rekey → key2", () => {
  const prefix = testPrefix();
  after(() => dropPrefix(prefix));
  const [key1, key2] = [key(), key()];

  test("every value moves to the new key, and the new key alone then starts and opens everything", async () => {
    const before = await startTestEngine([profile], { env: { REDIS_PREFIX: prefix, ENCRYPTION_KEY: b64(key1) } });
    await before.send({
      id: "old-1",
      name: "clerk/user.created",
      data: { id: "user_1", email_addresses: [{ email_address: EMAIL }] },
      user: { email: EMAIL },
    });
    await before.waitForRun(before.runId("profile", "old-1"), "completed");
    // Large enough to be packed before it is sealed (crypto/packed-data.ts).
    const signUp = { ...(clerkFixture("user.created").data as object), email_addresses: [{ email_address: EMAIL }] };
    await before.send({ id: "old-2", name: "clerk/user.created", data: signUp });
    await before.waitForRun(before.runId("profile", "old-2"), "completed");
    // Its workers stop; its connections stay until the end (closing them would drop the prefix).
    await before.workers.close();

    // The rotation: the new key seals from now on; the old one still opens.
    const rotated = await startTestServices({ REDIS_PREFIX: prefix, ENCRYPTION_KEY: `${b64(key2)},${b64(key1)}` });
    await rotated.services.close();
    // Dropping the old key before its data moved would leave that data unreadable: refused, naming the variable.
    await assert.rejects(
      startTestServices({ REDIS_PREFIX: prefix, ENCRYPTION_KEY: b64(key2) }),
      (error: Error) =>
        isStartupError(error) && /ENCRYPTION_KEY: data sealed with key .* may remain/.test(error.message),
    );

    const env = { REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix, ENCRYPTION_KEY: `${b64(key2)},${b64(key1)}` };
    const { code, out } = await runRekey(env, ["--batch", "5"]);
    assert.equal(code, 0, out);
    assert.match(out, /^rekey: \d+ keys scanned, \d+ values re-sealed with key /m, "progress as it goes");
    assert.match(
      out,
      /rekey: done; nothing is sealed with an older key any more: ENCRYPTION_KEY may now list the first key alone/,
    );

    const after = await startTestEngine([profile], { env: { REDIS_PREFIX: prefix, ENCRYPTION_KEY: b64(key2) } });
    try {
      const stored = await everythingStored(after.redis, prefix);
      assert.ok(!stored.includes(`enc:v1:${keyIdOf(key1)}:`), "nothing is sealed with key1 any more");
      assert.ok(stored.includes(`enc:v1:${keyIdOf(key2)}:`));
      assert.ok(!stored.includes(EMAIL));
      assert.deepEqual(
        (await after.store.getRun(after.runId("profile", "old-1")))?.output,
        { greeted: EMAIL },
        "the old run opens with key2 alone",
      );
      assert.deepEqual((await after.eventLog.getEvent("old-1"))?.user, { email: EMAIL });
      assert.deepEqual((await after.eventLog.getEvent("old-2"))?.data, signUp, "packed, then sealed: opens with key2");
      await after.send({
        id: "new-1",
        name: "clerk/user.created",
        data: { id: "user_2", email_addresses: [{ email_address: EMAIL }] },
      });
      assert.deepEqual((await after.waitForRun(after.runId("profile", "new-1"), "completed")).output, {
        greeted: EMAIL,
      });
      assert.equal((await runRekey(env)).code, 0, "running it again is harmless");
    } finally {
      await after.close();
      await before.close().catch(() => undefined);
    }
  });

  test("without ENCRYPTION_KEY it refuses, naming the variable", async () => {
    const { code, err } = await runRekey({ REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix });
    assert.equal(code, 2);
    assert.match(err, /ENCRYPTION_KEY is not set/);
  });
});

describe("bridge rekey, interrupted", () => {
  const prefix = testPrefix();
  after(() => dropPrefix(prefix));

  test("resumes where it stopped, and finishes the job", async () => {
    const [oldKey, newKey] = [key(), key()];
    const old = createSealer([oldKey]);
    const services = await startTestServices({ REDIS_PREFIX: prefix, ENCRYPTION_KEY: b64(oldKey) });
    const { redis } = services.services;
    for (let i = 0; i < 40; i++)
      await redis.set(
        `{${prefix}}:probe:${i}`,
        JSON.stringify({ secret: old.seal({ email: `user${i}@example.org` }) }),
      );
    await redis.hset(`{${prefix}}:probe-hash`, "a", String(old.seal("x")), "b", "plain");
    const sealer = createSealer([newKey, oldKey]);
    const keys = bridgeKeys(prefix);
    let steps = 0;
    await assert.rejects(
      rekey({
        redis,
        keys,
        sealer,
        batch: 5,
        onProgress: () => {
          if (++steps === 3) throw new Error("killed");
        },
      }),
      /killed/,
    );
    const midway = await redis.hgetall(keys.rekeyProgress);
    assert.notEqual(midway.cursor, undefined, "where it stopped is saved");
    const done = await rekey({ redis, keys, sealer, batch: 5 });
    assert.equal(done.resumed, true);
    assert.equal(done.left, 0);
    assert.ok(done.moved >= 42, `all moved: ${done.moved}`);
    const stored = await everythingStored(redis, prefix);
    assert.ok(!stored.includes(`enc:v1:${keyIdOf(oldKey)}:`), "nothing left under the old key");
    assert.equal(await redis.exists(keys.rekeyProgress), 0, "a finished run leaves no progress behind");
    assert.deepEqual(sealer.open(JSON.parse((await redis.get(`{${prefix}}:probe:7`))!).secret), {
      email: "user7@example.org",
    });
    await services.close();
  });
});
