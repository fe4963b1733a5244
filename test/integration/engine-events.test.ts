import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createFunction, NonRetriableError } from "../../src/client/index.ts";
import { isPackedData } from "../../src/crypto/packed-data.ts";
import { eventJobKey } from "../../src/queue/event-jobs.ts";
import { engineForEachTest } from "../helpers/engine-harness.ts";
import { clerkFixture } from "../helpers/sign-fixture.ts";

const startEngine = engineForEachTest();

describe("an event's data at rest", () => {
  test("a sign-up's data is stored packed in its job; the handler and the event log see it as sent", async () => {
    const data = clerkFixture("user.created").data as { id: string; email_addresses: Array<{ email_address: string }> };
    const seen: unknown[] = [];
    const fn = createFunction({ id: "sees-data", triggers: [{ event: "clerk/user.created" }] }, async ({ event }) => {
      seen.push(event.data);
      return event.data.email_addresses[0].email_address as string;
    });
    const engine = await startEngine([fn]);
    await engine.send({ id: "packed-1", name: "clerk/user.created", data });
    const run = await engine.waitForRun(engine.runId("sees-data", "packed-1"), "completed");
    const stored = JSON.parse((await engine.redis.hget(eventJobKey(engine.keys.tag, "packed-1"), "data")) ?? "{}");
    assert.ok(isPackedData(stored.data), "stored packed");
    assert.equal(stored.name, "clerk/user.created", "the name stays readable");
    assert.deepEqual(seen, [data]);
    assert.equal(run.output, data.email_addresses[0]!.email_address);
    assert.deepEqual((await engine.eventLog.getEvent("packed-1"))?.data, data);
  });
});

describe("step.sendEvent", () => {
  test("sent events get deterministic ids, so a retried step sends them once", async () => {
    let sendAttempts = 0;
    const received: string[] = [];
    const sender = createFunction({ id: "sender", triggers: [{ event: "app/go" }] }, async ({ step }) => {
      const sent = await step.sendEvent("fan-out", [
        { name: "app/child", data: { n: 1 } },
        { name: "app/child", data: { n: 2 } },
      ]);
      await step.run("then-fail-once", () => {
        if (++sendAttempts === 1) throw new Error("transient");
      });
      return sent.ids;
    });
    const child = createFunction(
      { id: "child", triggers: [{ event: "app/child" }] },
      ({ event }) => void received.push(event.id),
    );
    const engine = await startEngine([sender, child]);
    await engine.send({ id: "go1", name: "app/go", data: {} });
    const run = await engine.waitForRun(engine.runId("sender", "go1"), "completed");
    const ids = run.output as string[];
    assert.equal(ids.length, 2);
    assert.equal(new Set(ids).size, 2);
    for (const id of ids) await engine.waitForRun(engine.runId("child", id), "completed");
    assert.deepEqual(received.sort(), [...ids].sort());
    assert.equal((await engine.eventLog.getEvent(ids[0] as string))?.source, "function");
  });
});

describe("system events and onFailure", () => {
  test("a failed run emits inngest/function.failed and runs onFailure with the error", async () => {
    const failures: unknown[] = [];
    const finished: string[] = [];
    const fragile = createFunction(
      {
        id: "fragile",
        triggers: [{ event: "app/go" }],
        onFailure: async ({ error, event, step }) => {
          await step.run("report", () => failures.push({ message: error.message, original: event.data.event.id }));
        },
      },
      async () => {
        throw new NonRetriableError("cannot continue");
      },
    );
    const watcher = createFunction(
      { id: "watcher", triggers: [{ event: "inngest/function.finished" }] },
      ({ event }) => {
        finished.push(`${event.data.function_id}:${event.data.status}`);
      },
    );
    const engine = await startEngine([fragile, watcher]);
    await engine.send({ id: "bad1", name: "app/go", data: {} });
    const runId = engine.runId("fragile", "bad1");
    const run = await engine.waitForRun(runId, "failed");
    assert.equal(run.error?.name, "NonRetriableError");
    const failure = await engine.waitForRun(engine.runId("fragile-failure", `${runId}.failed`), "completed");
    // The run refers to its trigger event, which is stored once, in the event log.
    const failed = (await engine.eventLog.getEvent(failure.eventId)) as unknown as {
      name: string;
      data: Record<string, any>;
    };
    assert.equal(failed.name, "inngest/function.failed");
    assert.deepEqual(Object.keys(failed.data).sort(), ["error", "event", "function_id", "run_id"]);
    assert.equal(failed.data.error.message, "cannot continue");
    assert.ok(failed.data.error.stack);
    assert.deepEqual(failures, [{ message: "cannot continue", original: "bad1" }]);
    await engine.waitForRun(engine.runId("watcher", `${runId}.finished`), "completed");
    assert.deepEqual(finished, ["fragile:failed"]);
  });

  test("a completed run emits inngest/function.finished with its result", async () => {
    const results: unknown[] = [];
    const ok = createFunction({ id: "ok", triggers: [{ event: "app/go" }] }, () => ({ fine: true }));
    const watcher = createFunction(
      { id: "watch-ok", triggers: [{ event: "inngest/function.finished", if: "event.data.function_id == 'ok'" }] },
      ({ event }) => void results.push(event.data.result),
    );
    const engine = await startEngine([ok, watcher]);
    await engine.send({ id: "fine1", name: "app/go", data: {} });
    const runId = engine.runId("ok", "fine1");
    await engine.waitForRun(engine.runId("watch-ok", `${runId}.finished`), "completed");
    assert.deepEqual(results, [{ fine: true }]);
  });

  test("retryRun re-runs a failed run, keeping its completed steps", async () => {
    let first = 0;
    let broken = true;
    const fn = createFunction({ id: "retry-me", triggers: [{ event: "app/go" }], retries: 0 }, async ({ step }) => {
      await step.run("first", () => ++first);
      return step.run("second", () => {
        if (broken) throw new Error("down");
        return "fixed";
      });
    });
    const engine = await startEngine([fn]);
    await engine.send({ id: "rr1", name: "app/go", data: {} });
    const runId = engine.runId("retry-me", "rr1");
    await engine.waitForRun(runId, "failed");
    broken = false;
    await engine.store.retryRun(runId);
    const run = await engine.waitForRun(runId, "completed");
    assert.equal(run.output, "fixed");
    assert.equal(first, 1);
    await assert.rejects(engine.store.retryRun(runId), { code: "conflict" });
  });

  test("listRuns pages newest first across functions and filters by status and function", async () => {
    const fn = createFunction({ id: "lister", triggers: [{ event: "app/go" }] }, ({ event }) => {
      if (event.data.fail) throw new NonRetriableError("no");
    });
    const other = createFunction({ id: "lister-b", triggers: [{ event: "app/go" }] }, () => "ok");
    const engine = await startEngine([fn, other]);
    for (const n of [1, 2, 3]) {
      await engine.send({ id: `ls${n}`, name: "app/go", data: { fail: n === 2 } });
      await engine.waitForRun(engine.runId("lister-b", `ls${n}`), "completed");
    }
    for (const n of [1, 3]) await engine.waitForRun(engine.runId("lister", `ls${n}`), "completed");
    await engine.waitForRun(engine.runId("lister", "ls2"), "failed");
    const store = engine.store;
    // All runs merge the two functions' indexes: pages of 4 and 2, newest first, each run once.
    const all = await store.listRuns({ limit: 4 });
    assert.equal(all.items.length, 4);
    const rest = await store.listRuns({ limit: 4, before: all.next });
    assert.equal(rest.items.length, 2);
    const listed = [...all.items, ...rest.items];
    assert.equal(new Set(listed.map((run) => run.id)).size, 6);
    assert.deepEqual(
      listed
        .map((run) => run.eventId)
        .slice(0, 2)
        .sort(),
      ["ls3", "ls3"],
      "the newest event's runs come first",
    );
    assert.deepEqual(
      listed
        .map((run) => run.eventId)
        .slice(4)
        .sort(),
      ["ls1", "ls1"],
      "the oldest event's runs come last",
    );
    const failed = await store.listRuns({ status: "failed", functionId: "lister", limit: 10 });
    assert.deepEqual(
      failed.items.map((run) => run.eventId),
      ["ls2"],
    );
    assert.deepEqual(
      (await store.listRuns({ status: "failed", limit: 10 })).items.map((run) => run.id),
      [engine.runId("lister", "ls2")],
    );
    assert.equal((await store.listRuns({ functionId: "other", limit: 10 })).items.length, 0);
  });
});
