import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { afterEach, describe, test } from "node:test";
import { createFunction } from "../../src/client/index.ts";
import { userDebounces } from "../../src/engine/routing/debounce.ts";
import { eventJobId } from "../../src/queue/event-jobs.ts";
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
async function sendRouted(
  engine: TestEngine,
  event: { id: string; name: string; data: Record<string, unknown> },
): Promise<void> {
  await engine.send(event);
  await waitUntil(
    async () =>
      (await engine.eventLog.getEvent(event.id)) !== undefined &&
      (await engine.redis.llen(`{${engine.prefix}}:events:wait`)) === 0 &&
      (await engine.redis.llen(`{${engine.prefix}}:events:active`)) === 0,
  );
}

describe("a debounce in progress holds personal data as every other stored copy does", () => {
  test("with ENCRYPTION_KEY its event, and the key value its fire job carries, are sealed in Redis; the run gets the event opened", async () => {
    const fn = createFunction(
      {
        id: "settle",
        triggers: [{ event: "app/profile.edited" }],
        debounce: { period: "2s", key: "event.data.email" },
      },
      ({ event }) => event.data.email,
    );
    engine = await startTestEngine([fn], { env: { ENCRYPTION_KEY: randomBytes(32).toString("base64") } });
    await sendRouted(engine, { id: "edit-1", name: "app/profile.edited", data: { user_id: "user_ada", email: EMAIL } });
    const held = await engine.redis.hget(bridgeKeys(engine.prefix).debounce("settle", EMAIL), "event");
    assert.match(held ?? "", /"data":"enc:v1:/, "the debounce holds the event, its data sealed");
    assert.ok(
      !(await everythingStored(engine.redis, engine.prefix)).includes(EMAIL),
      "no email in clear anywhere under the prefix",
    );
    assert.equal((await engine.waitForRun(engine.runId("settle", "edit-1"), "completed")).output, EMAIL);
  });

  test("with ENCRYPTION_KEY a batch's flush job carries its key value sealed too (the batch itself holds event ids only)", async () => {
    const fn = createFunction(
      {
        id: "gather",
        triggers: [{ event: "app/profile.edited" }],
        batchEvents: { maxSize: 10, timeout: "2s", key: "event.data.email" },
      },
      ({ events }) => events.map((event) => event.data.email),
    );
    engine = await startTestEngine([fn], { env: { ENCRYPTION_KEY: randomBytes(32).toString("base64") } });
    await sendRouted(engine, { id: "row-1", name: "app/profile.edited", data: { user_id: "user_ada", email: EMAIL } });
    assert.ok(
      !(await everythingStored(engine.redis, engine.prefix)).includes(EMAIL),
      "no email in clear anywhere under the prefix",
    );
    await waitUntil(async () =>
      (await engine!.store.listRunsForEvent("row-1")).some((run) => run.status === "completed"),
    );
    const [run] = await engine.store.listRunsForEvent("row-1");
    assert.deepEqual(run?.output, [EMAIL], "the flush found its batch by the opened key value");
  });

  test("erasure removes a debounce holding the user's event, so it starts no run; one holding someone else's stays", async () => {
    const perUser = createFunction(
      {
        id: "per-user",
        triggers: [{ event: "app/profile.edited" }],
        debounce: { period: "2s", key: "event.data.user_id" },
      },
      ({ event }) => event.id,
    );
    const perTeam = createFunction(
      {
        id: "per-team",
        triggers: [{ event: "app/profile.edited" }],
        debounce: { period: "2s", key: "event.data.team" },
      },
      ({ event }) => event.id,
    );
    engine = await startTestEngine([perUser, perTeam]);
    await sendRouted(engine, {
      id: "ada-1",
      name: "app/profile.edited",
      data: { user_id: "user_ada", team: "t1", email: EMAIL },
    });
    await sendRouted(engine, { id: "bob-1", name: "app/profile.edited", data: { user_id: "user_bob", team: "t1" } });
    const keys = bridgeKeys(engine.prefix);
    const generation = await engine.redis.hget(keys.debounce("per-user", "user_ada"), "generation");
    assert.ok(generation && (await engine.runsQueue.getJob(generation)), "Ada's debounce and its fire job");

    const ada = await engine.eventLog.getEvent("ada-1");
    const user = {
      id: "user_ada",
      events: [{ id: "ada-1", event: ada }],
      emails: new Set([EMAIL]),
      isNamedIn: () => true,
    };
    assert.deepEqual(
      await userDebounces.erase(
        {
          redis: engine.redis,
          keys,
          queues: { runs: engine.runsQueue },
          listFunctions: async () => [perUser, perTeam],
        },
        user,
      ),
      {},
    );

    assert.equal(await engine.redis.exists(keys.debounce("per-user", "user_ada")), 0, "the user's debounce is gone");
    assert.equal(await engine.runsQueue.getJob(generation), undefined, "and its fire job, which carried the key value");
    assert.equal(
      await engine.redis.hget(keys.debounce("per-team", "t1"), "eventId"),
      "bob-1",
      "the team's debounce holds Bob's newer event: untouched",
    );
    assert.equal((await engine.waitForRun(engine.runId("per-user", "bob-1"), "completed")).output, "bob-1");
    assert.equal((await engine.waitForRun(engine.runId("per-team", "bob-1"), "completed")).output, "bob-1");
    assert.equal(
      await engine.store.getRun(engine.runId("per-user", "ada-1")),
      undefined,
      "Ada's debounce, due before Bob's, started no run",
    );
    assert.ok(
      !(
        await everythingStored(engine.redis, engine.prefix, { except: [`${keys.tag}:events:${eventJobId("ada-1")}`] })
      ).includes(EMAIL),
      "nothing but the intake's job (erased with the events) holds her email",
    );
  });

  test("a debounce due after its user was erased, by an eraser that did not know the function, starts no run", async () => {
    const fn = createFunction(
      {
        id: "late",
        triggers: [{ event: "app/profile.edited" }],
        debounce: { period: "1s", key: "event.data.user_id" },
      },
      ({ event }) => event.id,
    );
    engine = await startTestEngine([fn]);
    await sendRouted(engine, { id: "zed-1", name: "app/profile.edited", data: { user_id: "user_zed" } });
    await sendRouted(engine, { id: "amy-1", name: "app/profile.edited", data: { user_id: "user_amy" } });
    const keys = bridgeKeys(engine.prefix);
    const generation = (await engine.redis.hget(keys.debounce("late", "user_zed"), "generation")) as string;
    await engine.redis.set(keys.tombstone("user_zed"), "1", "PX", 60_000);
    await engine.waitForRun(engine.runId("late", "amy-1"), "completed");
    // Fired: claimed (the debounce moved to its claim), then the claim deleted once done.
    await waitUntil(
      async () => (await engine!.redis.exists(keys.debounce("late", "user_zed"), keys.debounceClaim(generation))) === 0,
    );
    assert.equal(await engine.store.getRun(engine.runId("late", "zed-1")), undefined);
  });
});
