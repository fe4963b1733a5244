import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { BridgeError } from "../../src/errors.ts";
import { applyTransform } from "../../src/transforms/apply-transform.ts";
import type { Transform } from "../../src/transforms/transform-types.ts";

const context = { source: "acme", webhookId: "msg_1", webhookTimestamp: 1_700_000_000 };

async function failure(transform: Transform, timeoutMs = 1000): Promise<string> {
  try {
    await applyTransform(transform, {}, context, timeoutMs);
  } catch (error) {
    assert.ok(error instanceof BridgeError);
    assert.equal(error.code, "transform_failed");
    return error.message;
  }
  assert.fail("expected the template to fail");
}

describe("applyTransform", () => {
  test("null or undefined drops the webhook", async () => {
    assert.deepEqual(await applyTransform(() => null, {}, context, 1000), []);
    assert.deepEqual(await applyTransform(() => undefined, {}, context, 1000), []);
  });

  test("one event without an id takes the webhook id", async () => {
    assert.deepEqual(await applyTransform(() => ({ name: "a/b", data: { x: 1 } }), {}, context, 1000), [
      { id: "msg_1", name: "a/b", data: { x: 1 } },
    ]);
  });

  test("several events get stable ids derived from the webhook id, so a redelivery dedupes", async () => {
    const events = await applyTransform(
      () => [
        { name: "a/one", data: {} },
        { name: "a/two", data: {}, id: "own-id" },
        { name: "a/three", data: {} },
      ],
      {},
      context,
      1000,
    );
    assert.deepEqual(
      events.map((event) => event.id),
      ["msg_1-0", "own-id", "msg_1-2"],
    );
  });

  test("an async template works", async () => {
    const events = await applyTransform(async () => ({ name: "a/b", data: {} }), {}, context, 1000);
    assert.equal(events[0]?.name, "a/b");
  });

  test("a template that throws is reported with its message", async () => {
    assert.match(
      await failure(() => {
        throw new Error("boom");
      }),
      /transform "acme" failed: boom/,
    );
    assert.match(
      await failure(() => {
        // eslint-disable-next-line no-throw-literal -- a template may throw a non-Error; the report still names it
        throw "a string";
      }),
      /a string/,
    );
  });

  test("a template that never settles times out", async () => {
    assert.match(await failure(() => new Promise(() => {}), 50), /did not finish within 50 ms/);
  });

  test("output that is not an event is rejected with the reason", async () => {
    assert.match(await failure(() => ({ data: {} }) as never), /invalid event.*name/);
    assert.match(await failure(() => ({ name: "", data: {} })), /name/);
    assert.match(await failure(() => ({ name: "a/b", data: "text" }) as never), /data/);
    assert.match(await failure(() => 42 as never), /invalid event/);
  });
});
