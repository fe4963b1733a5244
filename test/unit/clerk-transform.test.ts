import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { BridgeError } from "../../src/errors.ts";
import { applyTransform } from "../../src/transforms/apply-transform.ts";
import clerk from "../../transforms/clerk.ts";
import { clerkFixture, clerkFixtureTypes, FIXTURES_DIR } from "../helpers/sign-fixture.ts";

const context = { source: "clerk", webhookId: "msg_2abc", webhookTimestamp: 1716883260 };

describe("transforms/clerk.ts", () => {
  test("the fixtures cover Clerk's webhook types", () => {
    assert.ok(clerkFixtureTypes().length >= 45);
  });

  for (const type of clerkFixtureTypes()) {
    test(`${type} becomes clerk/${type} with its data, the svix-id and a ms timestamp`, async () => {
      const payload = clerkFixture(type);
      const events = await applyTransform(clerk, payload, context, 1000);
      assert.deepEqual(events, [
        { id: "msg_2abc", name: `clerk/${type}`, data: payload.data, ts: 1716883200_000 },
      ]);
    });
  }

  test("a real delivery's millisecond timestamp is kept as it is", async () => {
    const payload = JSON.parse(
      readFileSync(join(FIXTURES_DIR, "clerk", "variants", "user.created.clerk-docs-overview.json"), "utf8"),
    );
    const [event] = await applyTransform(clerk, payload, context, 1000);
    assert.equal(event?.ts, 1654012591835);
    assert.equal(event?.name, "clerk/user.created");
  });

  test("without a timestamp the event takes the svix-timestamp", async () => {
    const [event] = await applyTransform(clerk, { type: "user.updated", data: { id: "u" } }, context, 1000);
    assert.equal(event?.ts, 1716883260_000);
  });

  test("a payload without a type is a template failure", async () => {
    await assert.rejects(applyTransform(clerk, { data: {} }, context, 1000), (error: BridgeError) => {
      assert.equal(error.code, "transform_failed");
      assert.match(error.message, /type/);
      return true;
    });
  });
});
