import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { z } from "zod";
import {
  dependencyInjectionMiddleware,
  eventType,
  Inngest,
  InngestMiddleware,
  isInngest,
  isInngestFunction,
  isInngestMiddleware,
  slugify,
  StepError,
} from "../../src/client/index.ts";
import { engineForEachTest } from "../helpers/engine-harness.ts";
import { captureLogs } from "../helpers/test-services.ts";

const startEngine = engineForEachTest();

describe("inngest.send()", () => {
  test("from anywhere in the process goes through the intake: runs start, ids come back in order, an id dedupes", async () => {
    const app = new Inngest({ id: "shop" });
    const paid: string[] = [];
    const onPaid = app.createFunction(
      { id: "on-paid", triggers: [{ event: "shop/order.paid" }] },
      ({ event }) => void paid.push(event.data.orderId),
    );
    // Sent from inside another function's step, as application code does.
    const checkout = app.createFunction(
      { id: "checkout", triggers: [{ event: "shop/cart.checked-out" }] },
      ({ step }) =>
        step.run("announce", () => app.send({ name: "shop/order.paid", data: { orderId: "o3" }, id: "pay-3" })),
    );
    const engine = await startEngine([onPaid, checkout]);
    const { ids } = await app.send([
      { name: "shop/order.paid", data: { orderId: "o1" }, id: "pay-1" },
      { name: "shop/order.paid", data: { orderId: "o2" } },
    ]);
    assert.equal(ids.length, 2);
    assert.equal(ids[0], "pay-1");
    await app.send({ name: "shop/cart.checked-out", data: {}, id: "cart-1" });
    for (const id of [...ids, "pay-3"]) await engine.waitForRun(engine.runId("shop-on-paid", id), "completed");
    assert.deepEqual((await engine.waitForRun(engine.runId("shop-checkout", "cart-1"), "completed")).output, {
      ids: ["pay-3"],
    });
    assert.deepEqual(await app.send({ name: "shop/order.paid", data: { orderId: "o1" }, id: "pay-1" }), {
      ids: ["pay-1"],
    });
    assert.deepEqual(paid.sort(), ["o1", "o2", "o3"]);
    assert.equal((await engine.eventLog.getEvent("pay-1"))?.source, "api");
  });

  test("is validated as /e/:key validates, naming the field", async () => {
    await startEngine([]); // binds the intake that app.send() reaches
    const app = new Inngest({ id: "shop" });
    await assert.rejects(
      app.send({ name: "shop/x", data: [] as unknown as Record<string, unknown> }),
      (error: Error & { code?: string }) => {
        return error.code === "event_invalid" && /data: expected an object/.test(error.message);
      },
    );
  });
});

describe("function ids and errors, as Inngest shapes them", () => {
  test("inngest/function.failed carries <app>-<fn>; onFailure runs as <app>-<fn>-failure with one retry and the error's class", async () => {
    const app = new Inngest({ id: "shop" });
    const failures: string[] = [];
    const failedIds: string[] = [];
    const fragile = app.createFunction(
      {
        id: "fragile",
        triggers: [{ event: "shop/go" }],
        retries: 0,
        onFailure: ({ error, event }) => {
          failures.push(`${error instanceof TypeError}:${error.message}:${event.data.function_id}`);
          throw new Error("the failure handler fails too");
        },
      },
      () => {
        throw new TypeError("bad input");
      },
    );
    const watcher = app.createFunction(
      { id: "watcher", triggers: [{ event: "inngest/function.failed" }] },
      ({ event }) => void failedIds.push(event.data.function_id),
    );
    const engine = await startEngine([fragile, watcher]);
    await engine.send({ id: "f1", name: "shop/go", data: {} });
    const runId = engine.runId("shop-fragile", "f1");
    await engine.waitForRun(runId, "failed");
    await engine.waitForRun(engine.runId("shop-fragile-failure", `${runId}.failed`), "failed");
    await engine.waitForRun(engine.runId("shop-watcher", `${runId}.failed`), "completed");
    assert.deepEqual(
      failures,
      ["true:bad input:shop-fragile", "true:bad input:shop-fragile"],
      "two attempts: one retry",
    );
    assert.deepEqual(failedIds, ["shop-fragile"]);
  });

  test("a failed step caught in the handler keeps the original error's name; uncaught, it fails the run without retrying it", async () => {
    class PaymentDeclined extends Error {
      override name = "PaymentDeclined";
    }
    const app = new Inngest({ id: "shop" });
    const charge = () => {
      throw new PaymentDeclined("card declined");
    };
    const caught = app.createFunction(
      { id: "caught", triggers: [{ event: "shop/go" }], retries: 1 },
      async ({ step }) => {
        try {
          await step.run("charge-card", charge);
        } catch (error) {
          return {
            name: (error as Error).name,
            message: (error as Error).message,
            isStepError: error instanceof StepError,
            stepId: (error as StepError).stepId,
          };
        }
      },
    );
    const uncaught = app.createFunction(
      { id: "uncaught", triggers: [{ event: "shop/go" }], retries: 2 },
      async ({ step }) => step.run("charge-card", charge),
    );
    const engine = await startEngine([caught, uncaught]);
    await engine.send({ id: "c1", name: "shop/go", data: {} });
    const handled = await engine.waitForRun(engine.runId("shop-caught", "c1"), "completed");
    assert.deepEqual(handled.output, {
      name: "PaymentDeclined",
      message: "card declined",
      isStepError: true,
      stepId: "charge-card",
    });
    const failed = await engine.waitForRun(engine.runId("shop-uncaught", "c1"), "failed");
    assert.deepEqual(
      [failed.error?.name, failed.error?.message, failed.attempt],
      ["PaymentDeclined", "card declined", 0],
    );
    assert.equal(failed.steps[0]?.attempts, 3);
  });
});

describe("middleware", () => {
  /** Records every hook, named `<middleware>:<hook>`. */
  function tracer(name: string, log: string[]) {
    return new InngestMiddleware({
      name,
      init: () => ({
        onFunctionRun: () => ({
          transformInput: () => {
            log.push(`${name}:transformInput`);
          },
          beforeMemoization: () => {
            log.push(`${name}:beforeMemoization`);
          },
          afterMemoization: () => {
            log.push(`${name}:afterMemoization`);
          },
          beforeExecution: () => {
            log.push(`${name}:beforeExecution`);
          },
          afterExecution: () => {
            log.push(`${name}:afterExecution`);
          },
          transformOutput: ({ step }) => {
            log.push(`${name}:transformOutput:${step?.id ?? "run"}`);
          },
          finished: () => {
            log.push(`${name}:finished`);
          },
          beforeResponse: () => {
            log.push(`${name}:beforeResponse`);
          },
        }),
      }),
    });
  }

  test("hooks run once per execution, client middleware first, after* and transformOutput in reverse", async () => {
    const log: string[] = [];
    const app = new Inngest({ id: "mw", middleware: [tracer("client", log)] });
    const fn = app.createFunction(
      { id: "napper", triggers: [{ event: "mw/go" }], middleware: [tracer("fn", log)] },
      async ({ step }) => {
        log.push("handler");
        await step.run("first", () => void log.push("step first"));
        await step.sleep("nap", 50);
        await step.run("second", () => void log.push("step second"));
      },
    );
    const engine = await startEngine([fn]);
    await engine.send({ id: "m1", name: "mw/go", data: {} });
    await engine.waitForRun(engine.runId("mw-napper", "m1"), "completed");
    const starting = ["client:transformInput", "fn:transformInput", "client:beforeMemoization", "fn:beforeMemoization"];
    const executing = [
      "fn:afterMemoization",
      "client:afterMemoization",
      "client:beforeExecution",
      "fn:beforeExecution",
    ];
    assert.deepEqual(log, [
      // The first execution runs "first", then leaves for the nap.
      ...starting,
      ...executing,
      "handler",
      "step first",
      "fn:transformOutput:first",
      "client:transformOutput:first",
      "fn:afterExecution",
      "client:afterExecution",
      "client:beforeResponse",
      "fn:beforeResponse",
      // After the nap: "first" is replayed, new code begins at the nap.
      ...starting,
      "handler",
      ...executing,
      "step second",
      "fn:transformOutput:second",
      "client:transformOutput:second",
      "fn:afterExecution",
      "client:afterExecution",
      "fn:transformOutput:run",
      "client:transformOutput:run",
      "client:finished",
      "fn:finished",
      "client:beforeResponse",
      "fn:beforeResponse",
    ]);
  });

  test("transformInput injects dependencies; transformOutput reshapes step and run results; onSendEvent reshapes sent events", async () => {
    const tenants: unknown[] = [];
    const finished: Array<[string, unknown]> = [];
    const database = { query: (sql: string) => `rows of ${sql}` };
    const withDatabase = new InngestMiddleware({
      name: "database",
      init: () => ({
        onFunctionRun: ({ fn }) => ({
          transformInput: () => ({ ctx: { db: database } }),
          transformOutput: ({ result, step }) =>
            step ? { result: { data: { stored: result.data } } } : { result: { data: { wrapped: result.data } } },
          finished: ({ result }) => {
            finished.push([fn.id, result.data]);
          },
        }),
        onSendEvent: () => ({
          transformInput: ({ payloads }) => ({
            payloads: payloads.map((payload) => ({ ...payload, data: { ...payload.data, tenant: "t1" } })),
          }),
        }),
      }),
    });
    const app = new Inngest({ id: "di", middleware: [withDatabase] });
    const report = app.createFunction({ id: "report", triggers: [{ event: "di/go" }] }, async ({ step, db }) => {
      const rows = await step.run("query", () => db.query("select 1"));
      await step.sendEvent("tell", { name: "di/reported", data: {} });
      return rows;
    });
    const listener = app.createFunction(
      { id: "listener", triggers: [{ event: "di/reported" }, { event: "di/direct" }] },
      ({ event }) => void tenants.push(event.data.tenant),
    );
    const engine = await startEngine([report, listener]);
    await engine.send({ id: "d1", name: "di/go", data: {} });
    const run = await engine.waitForRun(engine.runId("di-report", "d1"), "completed");
    assert.deepEqual(run.steps.find((step) => step.id === "query")?.output, { stored: "rows of select 1" });
    assert.deepEqual(run.output, { wrapped: { stored: "rows of select 1" } });
    assert.deepEqual(
      finished.filter(([id]) => id === "di-report"),
      [["di-report", { wrapped: { stored: "rows of select 1" } }]],
    );
    const { ids } = await app.send({ name: "di/direct", data: {} });
    await engine.waitForRun(engine.runId("di-listener", ids[0] as string), "completed");
    assert.deepEqual(tenants, ["t1", "t1"]);
  });
});

describe("the handler's logger", () => {
  test("keeps the object in both argument orders, and is silent while steps replay", async () => {
    const { logger, lines } = captureLogs("info");
    const app = new Inngest({ id: "logs" });
    const fn = app.createFunction({ id: "chatty", triggers: [{ event: "logs/go" }] }, async ({ step, logger }) => {
      logger.info("before the nap", { phase: 1 });
      await step.sleep("nap", 50);
      logger.info({ phase: 2 }, "after the nap");
    });
    const engine = await startEngine([fn], { logger });
    await engine.send({ id: "l1", name: "logs/go", data: {} });
    const runId = engine.runId("logs-chatty", "l1");
    await engine.waitForRun(runId, "completed");
    const said = lines
      .filter((line) => line.runId === runId && typeof line.phase === "number")
      .map((line) => [line.msg, line.phase, line.functionId]);
    assert.deepEqual(said, [
      ["before the nap", 1, "logs-chatty"],
      ["after the nap", 2, "logs-chatty"],
    ]);
  });

  test("a logger given to new Inngest({ logger }) gets the arguments as written, bound to the run", async () => {
    const calls: unknown[][] = [];
    const bindings: unknown[] = [];
    const recorder = {
      info: (...args: unknown[]) => void calls.push(args),
      warn: () => {},
      error: () => {},
      debug: () => {},
      child(fields: unknown) {
        bindings.push(fields);
        return recorder;
      },
    };
    const app = new Inngest({ id: "custom", logger: recorder });
    const fn = app.createFunction({ id: "quiet", triggers: [{ event: "custom/go" }] }, async ({ step, logger }) => {
      logger.info("replayed once", { n: 1 });
      await step.sleep("nap", 50);
      logger.info("done");
    });
    const engine = await startEngine([fn]);
    await engine.send({ id: "q1", name: "custom/go", data: {} });
    const runId = engine.runId("custom-quiet", "q1");
    await engine.waitForRun(runId, "completed");
    assert.deepEqual(calls, [["replayed once", { n: 1 }], ["done"]]);
    assert.deepEqual(bindings[0], { runID: runId, eventName: "custom/go" });
  });
});

describe("eventType", () => {
  const paid = eventType("shop/order.paid", { schema: z.object({ orderId: z.string() }) });
  const shipped = eventType("shop/order.shipped", { schema: z.object({ orderId: z.string() }) });

  test("an event whose data does not fit the trigger's schema fails its run without retries", async () => {
    let calls = 0;
    const app = new Inngest({ id: "shop" });
    const fn = app.createFunction(
      { id: "validated", triggers: [paid], retries: 3 },
      ({ event }) => (calls++, event.data.orderId),
    );
    const engine = await startEngine([fn]);
    await engine.send([
      { id: "ok-1", name: "shop/order.paid", data: { orderId: "o1" } },
      { id: "bad-1", name: "shop/order.paid", data: { orderId: 42 } },
    ]);
    assert.equal((await engine.waitForRun(engine.runId("shop-validated", "ok-1"), "completed")).output, "o1");
    const bad = await engine.waitForRun(engine.runId("shop-validated", "bad-1"), "failed");
    assert.equal(bad.error?.name, "EventValidationError");
    assert.match(
      bad.error?.message ?? "",
      /event "shop\/order\.paid" \(bad-1\) does not fit its schema: data\.orderId: /,
    );
    assert.deepEqual([calls, bad.attempt], [1, 0]);
  });

  test("waitForEvent takes an eventType, and send() takes its create()", async () => {
    const app = new Inngest({ id: "shop" });
    const fn = app.createFunction({ id: "await-shipping", triggers: [paid] }, async ({ event, step }) => {
      const shipment = await step.waitForEvent("shipped", {
        event: shipped,
        timeout: "1m",
        if: `async.data.orderId == "${event.data.orderId}"`,
      });
      return shipment?.data.orderId ?? null;
    });
    const engine = await startEngine([fn]);
    const { ids } = await app.send(paid.create({ orderId: "o7" }, { id: "paid-7" }));
    const runId = engine.runId("shop-await-shipping", ids[0] as string);
    await engine.waitForRun(runId, "waiting");
    await assert.rejects(app.send(shipped.create({ orderId: 7 } as unknown as { orderId: string })), {
      name: "EventValidationError",
    });
    await app.send(shipped.create({ orderId: "o7" }));
    assert.equal((await engine.waitForRun(runId, "completed")).output, "o7");
  });
});

describe('the helpers "inngest" exports beside its client', () => {
  test("dependencyInjectionMiddleware puts its values in every handler's context, on the client or on one function", async () => {
    const mailer = { send: (to: string) => `sent to ${to}` };
    const app = new Inngest({ id: "di-helper", middleware: [dependencyInjectionMiddleware({ mailer })] });
    const notify = app.createFunction(
      { id: "notify", triggers: [{ event: "di/notify" }] },
      ({ event, step, mailer: injected }) => step.run("send", () => injected.send(String(event.data.to))),
    );
    const plain = new Inngest({ id: "di-one" });
    const tagged = plain.createFunction(
      { id: "tagged", middleware: [dependencyInjectionMiddleware({ tag: "t7" })], triggers: [{ event: "di/tag" }] },
      ({ tag }) => tag,
    );
    const engine = await startEngine([notify, tagged]);
    await engine.send([
      { id: "n1", name: "di/notify", data: { to: "ada@example.org" } },
      { id: "t1", name: "di/tag", data: {} },
    ]);
    assert.equal(
      (await engine.waitForRun(engine.runId("di-helper-notify", "n1"), "completed")).output,
      "sent to ada@example.org",
    );
    assert.equal((await engine.waitForRun(engine.runId("di-one-tagged", "t1"), "completed")).output, "t7");
  });

  test("slugify and the type guards answer as Inngest's do", () => {
    assert.equal(slugify("  Send Welcome Email!! (v2) "), "send-welcome-email-v2");
    assert.equal(slugify("--Already-slugged--"), "already-slugged");
    const app = new Inngest({ id: "guards" });
    const fn = app.createFunction({ id: "f", triggers: [{ event: "g/x" }] }, () => 1);
    assert.deepEqual(
      [isInngest(app), isInngest({ id: "guards" }), isInngestFunction(fn), isInngestFunction(app)],
      [true, false, true, false],
    );
    assert.deepEqual(
      [isInngestMiddleware(dependencyInjectionMiddleware({})), isInngestMiddleware({ name: "x" })],
      [true, false],
    );
  });
});
