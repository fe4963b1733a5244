import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { BridgeError } from "../../src/errors.ts";
import { applyTransform } from "../../src/transforms/apply-transform.ts";
import clerk from "../../transforms/clerk.ts";
import { clerkFixture, clerkFixtureTypes, CLERK_SAMPLES_DIR } from "../helpers/sign-fixture.ts";

const context = { source: "clerk", webhookId: "msg_2abc", webhookTimestamp: 1716883260 };

/** What the "Inngest" transformation template of Clerk's Inngest guide makes of a Clerk payload. */
function asInngestTemplate(payload: Record<string, unknown>): Record<string, unknown> {
  return { name: `clerk/${String(payload.type)}`, data: payload.data };
}

async function failure(payload: unknown): Promise<string> {
  try {
    await applyTransform(clerk, payload, context, 1000);
  } catch (error) {
    assert.ok(error instanceof BridgeError);
    assert.equal(error.code, "transform_failed");
    return error.message;
  }
  assert.fail("expected the template to refuse the payload");
}

describe("transforms/clerk.ts: Clerk's envelope", () => {
  test("the fixtures cover Clerk's webhook types", () => {
    assert.ok(clerkFixtureTypes().length >= 45);
  });

  // Clerk's OpenAPI examples date every envelope 1716883200 (seconds); its docs' user.created
  // example, the sample for that type, is in milliseconds like a real delivery.
  const millisecondsOf = (type: string) => (type === "user.created" ? 1654012591835 : 1716883200_000);
  for (const type of [...clerkFixtureTypes(), "variants/user.created.openapi-spec"]) {
    const name = type.replace("variants/", "").replace(".openapi-spec", "");
    test(`${type} becomes clerk/${name} with its data, the svix-id and a ms timestamp`, async () => {
      const payload = clerkFixture(type);
      const events = await applyTransform(clerk, payload, context, 1000);
      assert.deepEqual(events, [
        { id: "msg_2abc", name: `clerk/${name}`, data: payload.data, ts: millisecondsOf(type) },
      ]);
    });
  }

  test("a real delivery's millisecond timestamp is kept as it is", async () => {
    const payload = JSON.parse(readFileSync(join(CLERK_SAMPLES_DIR, "user.created.json"), "utf8"));
    assert.equal(payload.timestamp, 1654012591835);
    const [event] = await applyTransform(clerk, payload, context, 1000);
    assert.equal(event?.ts, 1654012591835);
    assert.equal(event?.name, "clerk/user.created");
  });

  test("without a timestamp the event takes the svix-timestamp", async () => {
    const [event] = await applyTransform(clerk, { type: "user.updated", data: { id: "u" } }, context, 1000);
    assert.equal(event?.ts, 1716883260_000);
  });

  test("a payload with neither a type nor a name is a template failure that says what it expected", async () => {
    const message = await failure({ data: {} });
    assert.match(message, /`type`/);
    assert.match(message, /`name`/);
  });
});

describe("transforms/clerk.ts: bodies already shaped by Clerk's Inngest template", () => {
  for (const type of ["user.created", "user.updated", "user.deleted", "session.created", "organization.created"]) {
    test(`clerk/${type} gives the same event as Clerk's envelope, with the svix-timestamp`, async () => {
      const payload = clerkFixture(type);
      const events = await applyTransform(clerk, asInngestTemplate(payload), context, 1000);
      assert.deepEqual(events, [{ id: "msg_2abc", name: `clerk/${type}`, data: payload.data, ts: 1716883260_000 }]);
    });
  }

  test("an id, a ts in seconds or milliseconds, a user and a version in the body are kept", async () => {
    const data = clerkFixture("user.created").data as Record<string, unknown>;
    const body = {
      name: "clerk/user.created",
      data,
      id: "evt_from_template",
      ts: 1716883200,
      user: { id: "admin" },
      v: "2024-01-01",
    };
    assert.deepEqual(await applyTransform(clerk, body, context, 1000), [
      {
        id: "evt_from_template",
        name: "clerk/user.created",
        data,
        ts: 1716883200_000,
        user: { id: "admin" },
        v: "2024-01-01",
      },
    ]);
    const [event] = await applyTransform(clerk, { ...body, ts: 1654012591835 }, context, 1000);
    assert.equal(event?.ts, 1654012591835);
  });

  test("an array of events gives one event each, with ids a redelivery repeats", async () => {
    const bodies = ["user.created", "user.updated"].map((type) => asInngestTemplate(clerkFixture(type)));
    const events = await applyTransform(clerk, bodies, context, 1000);
    assert.deepEqual(
      events.map((event) => [event.id, event.name]),
      [
        ["msg_2abc-0", "clerk/user.created"],
        ["msg_2abc-1", "clerk/user.updated"],
      ],
    );
    assert.deepEqual(await applyTransform(clerk, bodies, context, 1000), events);
  });

  test("a name outside clerk/ is refused, and the message says why", async () => {
    const data = clerkFixture("user.created").data;
    assert.match(
      await failure({ name: "app/invoice.paid", data }),
      /must be named "clerk\/<event type>", not "app\/invoice.paid"/,
    );
    assert.match(await failure({ name: "clerk/", data }), /not "clerk\/"/);
    assert.match(await failure({ name: 42, data }), /not 42/);
    assert.match(
      await failure([asInngestTemplate(clerkFixture("user.created")), { name: "user.created", data }]),
      /not "user.created"/,
    );
  });

  test("data that is not an object is refused by the event schema", async () => {
    assert.match(await failure({ name: "clerk/user.created", data: "text" }), /invalid event.*data/);
  });
});
