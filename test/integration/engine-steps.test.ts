import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createFunction, NonRetriableError, RetryAfterError } from "../../src/client/index.ts";
import { engineForEachTest } from "../helpers/engine-harness.ts";
import { waitUntil } from "../helpers/wait-until.ts";

const startEngine = engineForEachTest();

describe("step.run", () => {
  test("a run stores each step's result and ends completed with the handler's output", async () => {
    const fn = createFunction({ id: "greet", triggers: [{ event: "app/user.created" }] }, async ({ event, step }) => {
      const name = await step.run("load-name", () => String(event.data.name).toUpperCase());
      const greeting = await step.run("greet", () => ({ text: `hello ${name}` }));
      return greeting.text;
    });
    const engine = await startEngine([fn]);
    await engine.send({ id: "e1", name: "app/user.created", data: { name: "ada" } });
    const run = await engine.waitForRun(engine.runId("greet", "e1"), "completed");
    assert.equal(run.output, "hello ADA");
    assert.deepEqual(
      run.steps.map((step) => [step.id, step.status, step.attempts, step.output]),
      [
        ["load-name", "completed", 1, "ADA"],
        ["greet", "completed", 1, { text: "hello ADA" }],
      ],
    );
    assert.equal(run.eventId, "e1");
  });

  test("the older three-argument createFunction form runs too", async () => {
    const fn = createFunction({ id: "old-form" }, { event: "app/ping" }, async ({ step }) =>
      step.run("pong", () => "pong"),
    );
    const engine = await startEngine([fn]);
    await engine.send({ id: "p1", name: "app/ping", data: {} });
    assert.equal((await engine.waitForRun(engine.runId("old-form", "p1"), "completed")).output, "pong");
  });

  test("a failing step is retried on its own and a completed step never runs again", async () => {
    const calls = { first: 0, flaky: 0 };
    const fn = createFunction(
      { id: "flaky", triggers: [{ event: "app/go" }], retries: 3 },
      async ({ step, attempt, maxAttempts }) => {
        await step.run("first", () => ++calls.first);
        return step.run("flaky", () => {
          calls.flaky++;
          if (calls.flaky < 3) throw new Error(`boom ${calls.flaky}`);
          return { attemptSeen: attempt, maxAttempts };
        });
      },
    );
    const engine = await startEngine([fn]);
    await engine.send({ id: "g1", name: "app/go", data: {} });
    const run = await engine.waitForRun(engine.runId("flaky", "g1"), "completed");
    assert.deepEqual(calls, { first: 1, flaky: 3 });
    assert.deepEqual(run.output, { attemptSeen: 2, maxAttempts: 4 });
    assert.equal(run.steps.find((step) => step.id === "flaky")?.attempts, 3);
  });

  test("a step that keeps failing uses its budget (retries + 1 attempts), then the run fails", async () => {
    let calls = 0;
    const fn = createFunction({ id: "doomed", triggers: [{ event: "app/go" }], retries: 2 }, async ({ step }) => {
      await step.run("always-fails", () => {
        calls++;
        throw new Error("still broken");
      });
    });
    const engine = await startEngine([fn]);
    await engine.send({ id: "d1", name: "app/go", data: {} });
    const run = await engine.waitForRun(engine.runId("doomed", "d1"), "failed");
    assert.equal(calls, 3);
    assert.equal(run.error?.message, "still broken");
    assert.equal(run.steps[0]?.status, "failed");
  });

  test("NonRetriableError fails the run at once", async () => {
    let calls = 0;
    const fn = createFunction({ id: "refused", triggers: [{ event: "app/go" }] }, async ({ step }) => {
      await step.run("send", () => {
        calls++;
        throw new NonRetriableError("mailbox does not exist");
      });
    });
    const engine = await startEngine([fn]);
    await engine.send({ id: "n1", name: "app/go", data: {} });
    const run = await engine.waitForRun(engine.runId("refused", "n1"), "failed");
    assert.equal(calls, 1);
    assert.equal(run.error?.message, "mailbox does not exist");
  });

  test("a handler may catch a step that failed for good and go on", async () => {
    const fn = createFunction({ id: "forgiving", triggers: [{ event: "app/go" }], retries: 0 }, async ({ step }) => {
      try {
        await step.run("optional", () => {
          throw new Error("not today");
        });
      } catch (error) {
        return step.run("fallback", () => `recovered from ${(error as Error).message}`);
      }
    });
    const engine = await startEngine([fn]);
    await engine.send({ id: "f1", name: "app/go", data: {} });
    const run = await engine.waitForRun(engine.runId("forgiving", "f1"), "completed");
    assert.equal(run.output, "recovered from not today");
  });

  test("RetryAfterError sets when the step is retried", async () => {
    let calls = 0;
    const fn = createFunction({ id: "rate-limited", triggers: [{ event: "app/go" }] }, async ({ step }) =>
      step.run("call-api", () => {
        if (++calls === 1) throw new RetryAfterError("429", 1500);
        return "ok";
      }),
    );
    const engine = await startEngine([fn]);
    await engine.send({ id: "r1", name: "app/go", data: {} });
    const runId = engine.runId("rate-limited", "r1");
    const retrying = await engine.waitForRun(runId, "running");
    const step = await engine.waitForStep(
      runId,
      (candidate) => candidate.id === "call-api" && candidate.status === "retrying",
    );
    assert.ok(
      (step.retryAt ?? 0) - step.startedAt >= 1000,
      "retryAt honours the requested delay (seconds granularity)",
    );
    assert.ok(retrying);
    assert.equal((await engine.waitForRun(runId, "completed")).output, "ok");
  });

  test("a step id used twice gets Inngest's :1, :2 suffixes", async () => {
    const fn = createFunction({ id: "loop", triggers: [{ event: "app/go" }] }, async ({ step }) => {
      const results = [];
      for (const item of ["a", "b", "c"]) results.push(await step.run("process", () => item));
      return results;
    });
    const engine = await startEngine([fn]);
    await engine.send({ id: "l1", name: "app/go", data: {} });
    const run = await engine.waitForRun(engine.runId("loop", "l1"), "completed");
    assert.deepEqual(run.output, ["a", "b", "c"]);
    assert.deepEqual(
      run.steps.map((step) => step.id),
      ["process", "process:1", "process:2"],
    );
  });

  test("a step result that cannot be stored as JSON fails with a clear error", async () => {
    const fn = createFunction({ id: "bigint", triggers: [{ event: "app/go" }] }, async ({ step }) =>
      step.run("count", () => ({ total: 10n })),
    );
    const engine = await startEngine([fn]);
    await engine.send({ id: "b1", name: "app/go", data: {} });
    const run = await engine.waitForRun(engine.runId("bigint", "b1"), "failed");
    assert.match(
      run.error?.message ?? "",
      /step "count" returned a value that cannot be stored as JSON: result.total is a BigInt/,
    );
  });

  test("steps started together run in parallel, each stored and retried on its own", async () => {
    const started = new Set<string>();
    let crmCalls = 0;
    let bothStarted!: () => void;
    const barrier = new Promise<void>((resolve) => (bothStarted = resolve));
    const enter = async (name: string) => {
      started.add(name);
      if (started.size === 2) bothStarted();
      await barrier; // would never resolve if the steps ran one after the other
    };
    const fn = createFunction({ id: "federate", triggers: [{ event: "app/go" }] }, async ({ step }) =>
      Promise.all([
        step.run("crm", async () => {
          await enter("crm");
          if (++crmCalls === 1) throw new Error("crm hiccup");
          return "crm-ok";
        }),
        step.run("chat", async () => {
          await enter("chat");
          return "chat-ok";
        }),
      ]),
    );
    const engine = await startEngine([fn]);
    await engine.send({ id: "fed1", name: "app/go", data: {} });
    const run = await engine.waitForRun(engine.runId("federate", "fed1"), "completed");
    assert.deepEqual(run.output, ["crm-ok", "chat-ok"]);
    assert.equal(run.steps.find((step) => step.id === "crm")?.attempts, 2);
    assert.equal(run.steps.find((step) => step.id === "chat")?.attempts, 1);
  });
});

describe("routing", () => {
  test("an event routed twice starts each matching function once", async () => {
    let calls = 0;
    const fn = createFunction({ id: "once", triggers: [{ event: "app/go" }] }, async ({ step }) =>
      step.run("count", () => ++calls),
    );
    const engine = await startEngine([fn]);
    const event = { id: "dup1", name: "app/go", data: {}, ts: Date.now(), receivedAt: Date.now(), source: "test" };
    const queue = engine.eventsQueue;
    await queue.add("app/go", event, { jobId: "first-delivery" });
    await engine.waitForRun(engine.runId("once", "dup1"), "completed");
    await queue.add("app/go", event, { jobId: "second-delivery" });
    await waitUntil(async () => (await queue.getJobCounts("completed")).completed === 2);
    assert.equal(calls, 1);
    assert.equal((await engine.store.listRunsForEvent("dup1")).length, 1);
  });

  test("wildcard triggers and trigger `if` expressions select the functions", async () => {
    const seen: string[] = [];
    const any = createFunction(
      { id: "any-user", triggers: [{ event: "clerk/user.*" }] },
      ({ event }) => void seen.push(`any:${event.name}`),
    );
    const admins = createFunction(
      { id: "admins", triggers: [{ event: "clerk/user.created", if: "event.data.role == 'admin'" }] },
      ({ event }) => void seen.push(`admin:${event.data.id}`),
    );
    const engine = await startEngine([any, admins]);
    await engine.send([
      { id: "w1", name: "clerk/user.created", data: { id: "u1", role: "admin" } },
      { id: "w2", name: "clerk/user.created", data: { id: "u2" } },
      { id: "w3", name: "clerk/session.created", data: {} },
    ]);
    await engine.waitForRun(engine.runId("any-user", "w2"), "completed");
    await engine.waitForRun(engine.runId("admins", "w1"), "completed");
    assert.equal(await engine.store.getRun(engine.runId("admins", "w2")), undefined);
    assert.equal((await engine.store.listRunsForEvent("w3")).length, 0);
    assert.deepEqual(seen.sort(), ["admin:u1", "any:clerk/user.created", "any:clerk/user.created"]);
  });

  test("an event whose ts is in the future starts its runs at ts", async () => {
    const fn = createFunction({ id: "later", triggers: [{ event: "app/later" }] }, () => Date.now());
    const engine = await startEngine([fn]);
    const ts = Date.now() + 1500;
    await engine.send({ id: "t1", name: "app/later", data: {}, ts });
    const queued = await engine.waitForRun(engine.runId("later", "t1"), "queued");
    assert.equal(queued.scheduledFor, ts);
    const run = await engine.waitForRun(engine.runId("later", "t1"), "completed");
    assert.ok((run.output as number) >= ts);
  });

  test("routed events are in the event log, newest first, by name too", async () => {
    const engine = await startEngine([createFunction({ id: "noop", triggers: [{ event: "app/a" }] }, () => null)]);
    await engine.send({ id: "log1", name: "app/a", data: {} });
    await engine.send({ id: "log2", name: "app/b", data: {} });
    await engine.send({ id: "log3", name: "app/a", data: { n: 3 } });
    await waitUntil(async () => (await engine.eventLog.listEvents({ limit: 10 })).items.length === 3);
    assert.deepEqual(
      (await engine.eventLog.listEvents({ limit: 10 })).items.map((event) => event.id),
      ["log3", "log2", "log1"],
    );
    const page = await engine.eventLog.listEvents({ name: "app/a", limit: 1 });
    assert.deepEqual(
      page.items.map((event) => event.id),
      ["log3"],
    );
    const next = await engine.eventLog.listEvents({ name: "app/a", limit: 1, before: page.next });
    assert.deepEqual(
      next.items.map((event) => event.id),
      ["log1"],
    );
    assert.deepEqual((await engine.eventLog.getEvent("log3"))?.data, { n: 3 });
  });
});
