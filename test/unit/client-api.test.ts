import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { z } from "zod";
import { objectFirst } from "../../src/engine/execution/handler-logger.ts";
import { invokeTargetId } from "../../src/client/reference-function.ts";
import { deserializeError } from "../../src/engine/definition/deserialize-error.ts";
import {
  createFunction,
  cron,
  eventType,
  FunctionDefinitionError,
  Inngest,
  InngestMiddleware,
  Middleware,
  NonRetriableError,
  referenceFunction,
  staticSchema,
  StepError,
} from "../../src/client/index.ts";
import { createRegistry } from "../../src/engine/definition/registry.ts";
import { serializeError } from "../../src/engine/store/run-state.ts";
import { isStepError } from "../../src/engine/definition/step-error.ts";

const noop = () => null;

describe("new Inngest({ id }).createFunction", () => {
  const app = new Inngest({ id: "shop" });

  test("names the function <app id>-<function id>, keeping both parts, as Inngest does", () => {
    const fn = app.createFunction({ id: "send-receipt", triggers: [{ event: "shop/order.paid" }] }, noop);
    assert.deepEqual(
      [fn.id, fn.appId, fn.localId, fn.name],
      ["shop-send-receipt", "shop", "send-receipt", "send-receipt"],
    );
  });

  test("takes the v4 form, the v3 three-argument form and v3's legacy strings", () => {
    const v4 = app.createFunction({ id: "a", triggers: { event: "x" } }, noop);
    const v3 = app.createFunction({ id: "b" }, [{ event: "x" }, { cron: "0 9 * * *" }], noop);
    const legacy = app.createFunction("c", "x", noop);
    assert.deepEqual(v4.triggers, [{ event: "x" }]);
    assert.deepEqual(
      v3.triggers.map((t) => ("event" in t ? t.event : t.cron)),
      ["x", "0 9 * * *"],
    );
    assert.deepEqual([legacy.id, legacy.triggers], ["shop-c", [{ event: "x" }]]);
  });

  test("the bare createFunction keeps its id as given, with no app", () => {
    const fn = createFunction({ id: "plain", triggers: [cron("*/5 * * * *")] }, noop);
    assert.deepEqual([fn.id, fn.appId, fn.localId], ["plain", undefined, undefined]);
    assert.equal(fn.triggers[0] && "cron" in fn.triggers[0] ? fn.triggers[0].cron : "", "*/5 * * * *");
  });

  test("refuses a client without id, an unknown client option and v4 class middleware, naming the option", () => {
    assert.throws(() => new Inngest({} as { id: string }), /An `id` must be passed to create an Inngest instance/);
    assert.throws(
      () => new Inngest({ id: "x", shcemas: 1 } as unknown as { id: string }),
      /Inngest client "x": unknown option "shcemas"/,
    );
    class Tracing extends Middleware.BaseMiddleware {}
    const v4 = [Tracing] as unknown as InngestMiddleware[];
    assert.throws(
      () => new Inngest({ id: "x", middleware: v4 }),
      (error: Error) =>
        error instanceof FunctionDefinitionError &&
        /middleware: v4 class middleware is not supported, use InngestMiddleware/.test(error.message),
    );
    assert.throws(
      () => app.createFunction({ id: "f", triggers: [{ event: "x" }], middleware: v4 }, noop),
      /function "shop-f": middleware: v4 class middleware is not supported/,
    );
  });

  test("accepts the client options that only configure Inngest's HTTP link", () => {
    const client = new Inngest({
      id: "x",
      eventKey: "k",
      baseUrl: "http://inngest:8288",
      isDev: true,
      checkpointing: false,
    });
    assert.equal(client.id, "x");
  });

  test("runs each middleware init once: the client's with the client, the function's with the function", () => {
    const seen: string[] = [];
    const tracker = (name: string) =>
      new InngestMiddleware({
        name,
        init: ({ client, fn }) => (seen.push(`${name}:${(client as Inngest).id}:${fn?.id ?? "-"}`), {}),
      });
    const client = new Inngest({ id: "mw", middleware: [tracker("client")] });
    client.createFunction({ id: "one", triggers: [{ event: "x" }], middleware: [tracker("fn")] }, noop);
    client.createFunction({ id: "two", triggers: [{ event: "x" }] }, noop);
    assert.deepEqual(seen, ["client:mw:-", "fn:mw:mw-one"]);
  });

  test("an eventType stands where an event name does, in triggers and cancelOn", () => {
    const paid = eventType("shop/order.paid", { schema: z.object({ orderId: z.string() }) });
    const refunded = eventType("shop/order.refunded");
    const fn = app.createFunction(
      {
        id: "typed",
        triggers: [paid, { event: refunded, if: "event.data.full" }],
        cancelOn: [{ event: refunded, match: "data.orderId" }],
      },
      noop,
    );
    assert.deepEqual(fn.triggers, [
      { event: "shop/order.paid" },
      { event: "shop/order.refunded", if: "event.data.full" },
    ]);
    assert.deepEqual(
      fn.cancelOn.map((cancel) => cancel.event),
      ["shop/order.refunded"],
    );
    assert.deepEqual([...(fn.runtime?.schemas.keys() ?? [])], ["shop/order.paid"]);
  });

  test("eventType().create() makes an event whose validate() checks the schema", async () => {
    const paid = eventType("shop/order.paid", { schema: z.object({ orderId: z.string() }), version: "2" });
    const event = paid.create({ orderId: "o1" }, { id: "e1" });
    assert.deepEqual(
      { name: event.name, data: event.data, id: event.id, v: event.v },
      { name: "shop/order.paid", data: { orderId: "o1" }, id: "e1", v: "2" },
    );
    await event.validate();
    const wrong = paid.create({ orderId: 5 } as unknown as { orderId: string });
    await assert.rejects(
      wrong.validate(),
      (error: Error) =>
        error instanceof NonRetriableError && /event "shop\/order\.paid": data\.orderId: /.test(error.message),
    );
    await eventType("free", { schema: staticSchema<{ anything: string }>() }).create({ anything: "x" }).validate();
  });

  test("inngest.send() before the bridge started says so", async () => {
    await assert.rejects(
      new Inngest({ id: "early" }).send({ name: "a", data: {} }),
      /inngest\.send\(\) was called before the bridge started/,
    );
    assert.deepEqual(await new Inngest({ id: "early" }).send([]), { ids: [] });
  });
});

describe("naming a function", () => {
  const shop = new Inngest({ id: "shop" });
  const blog = new Inngest({ id: "blog" });
  const registry = createRegistry([
    shop.createFunction({ id: "notify", triggers: [{ event: "a" }] }, noop),
    blog.createFunction({ id: "notify", triggers: [{ event: "a" }] }, noop),
    shop.createFunction({ id: "sync", triggers: [{ event: "a" }], onFailure: noop }, noop),
  ]);

  test("the full id always finds it; the bare id only when no other function has it", () => {
    assert.equal(registry.get("shop-notify")?.id, "shop-notify");
    assert.equal(registry.get("sync")?.id, "shop-sync");
    assert.equal(registry.get("notify"), undefined);
    assert.equal(registry.get("missing"), undefined);
  });

  test("onFailure is Inngest's <app>-<fn>-failure, one retry, triggered by the full function_id", () => {
    const failure = registry.get("shop-sync-failure");
    assert.deepEqual(
      [failure?.appId, failure?.localId, failure?.retries, failure?.name],
      ["shop", "sync-failure", 1, "sync (failure)"],
    );
    const failed = (functionId: string) => ({
      id: "e",
      name: "inngest/function.failed",
      data: { function_id: functionId },
      ts: 0,
      receivedAt: 0,
      source: "system",
    });
    assert.deepEqual(
      registry.match(failed("shop-sync")).map((fn) => fn.id),
      ["shop-sync-failure"],
    );
    assert.deepEqual(registry.match(failed("sync")), []);
  });

  test("referenceFunction targets <app id>-<function id>, the caller's app when it names none", () => {
    assert.equal(invokeTargetId(referenceFunction({ functionId: "sync", appId: "shop" }), "blog"), "shop-sync");
    assert.equal(invokeTargetId(referenceFunction({ functionId: "notify" }), "blog"), "blog-notify");
    assert.equal(invokeTargetId(referenceFunction({ functionId: "plain" })), "plain");
    assert.equal(invokeTargetId(registry.get("shop-sync")!, "blog"), "shop-sync");
  });
});

describe("errors, shaped as Inngest's", () => {
  test("a StepError keeps the original error's name, message, stack and cause, and is still a StepError", () => {
    const original = new TypeError("bad input", { cause: new RangeError("too big") });
    const error = new StepError("parse:1", serializeError(original));
    assert.deepEqual(
      [error.name, error.message, error.stepId, error.stack],
      ["TypeError", "bad input", "parse:1", original.stack],
    );
    assert.ok(error instanceof StepError && error instanceof Error && isStepError(error));
    assert.ok(error.cause instanceof RangeError);
    assert.equal((error.cause as Error).message, "too big");
    assert.equal(isStepError(Object.assign(new Error("x"), { name: "StepError" })), false);
  });

  test("stored errors come back as built-in classes or NonRetriableError; other classes as a named Error", () => {
    class QuotaError extends Error {
      override name = "QuotaError";
    }
    assert.ok(deserializeError(serializeError(new SyntaxError("x"))) instanceof SyntaxError);
    assert.ok(deserializeError(serializeError(new NonRetriableError("x"))) instanceof NonRetriableError);
    const custom = deserializeError(serializeError(new QuotaError("over")));
    assert.deepEqual([custom.constructor, custom.name, custom.message], [Error, "QuotaError", "over"]);
    assert.deepEqual(
      [deserializeError("nonsense").name, deserializeError("nonsense").message],
      ["Error", "Unknown error"],
    );
  });

  test("causes are serialized five levels deep, whatever was thrown as a cause", () => {
    let error = new Error("level 0");
    for (let level = 1; level <= 7; level++) error = new Error(`level ${level}`, { cause: error });
    let depth = 0;
    for (
      let cause = serializeError(error).cause as { cause?: unknown } | undefined;
      cause;
      cause = cause.cause as typeof cause
    )
      depth++;
    assert.equal(depth, 5);
    assert.deepEqual(serializeError(new Error("x", { cause: { code: 42 } })).cause, { code: 42 });
  });
});

describe("the handler's logger", () => {
  test("puts the object first for pino, whichever order the handler wrote", () => {
    const fields = { userId: "u1" };
    assert.deepEqual(objectFirst(["signed up", fields]), [fields, "signed up"]);
    assert.deepEqual(objectFirst([fields, "signed up"]), [fields, "signed up"]);
    assert.deepEqual(objectFirst(["hello %s", "world"]), ["hello %s", "world"]);
  });
});
