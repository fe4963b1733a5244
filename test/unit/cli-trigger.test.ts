import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { freshenSample, listSampleTypes, readSample, type ClerkPayload } from "../../src/cli/clerk-samples.ts";
import { UsageError } from "../../src/cli/cli-io.ts";
import { applyDataOverrides } from "../../src/cli/data-overrides.ts";
import { prepareDelivery } from "../../src/cli/trigger-command.ts";
import { applyTransform } from "../../src/transforms/apply-transform.ts";
import clerk from "../../transforms/clerk.ts";
import { clerkFixture, clerkFixtureTypes } from "../helpers/sign-fixture.ts";

const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);
type Data = Record<string, any>;
const dataOf = (payload: ClerkPayload) => payload.data as Data;

describe("bridge trigger's samples", () => {
  test("every type the issue names has a sample, and every sample the tests use is one", () => {
    const types = listSampleTypes();
    for (const type of [
      "user.created",
      "user.updated",
      "user.deleted",
      "session.created",
      "organization.created",
      "organizationMembership.created",
    ]) {
      assert.ok(types.includes(type), type);
    }
    assert.deepEqual(types, clerkFixtureTypes());
  });

  test("user.created has a primary email address, so its onboarding run sends the welcome email", () => {
    const data = dataOf(readSample("user.created"));
    const primary = (data.email_addresses as Data[]).find((address) => address.id === data.primary_email_address_id);
    assert.equal(primary?.email_address, "example@example.org");
  });

  test("a type without a sample is refused, listing those there are; the name never becomes a path", () => {
    for (const type of ["user.exploded", "../package", "variants/user.created.openapi-spec"]) {
      assert.throws(
        () => readSample(type),
        (error: unknown) =>
          error instanceof UsageError && /no sample of .*: one of email\.created, /.test(error.message),
      );
    }
  });
});

describe("a sample made a new delivery", () => {
  test("every Clerk id is new and the same id stays the same everywhere it appears", () => {
    const sample = readSample("session.created");
    const fresh = freshenSample(sample, NOW);
    const data = dataOf(fresh);
    assert.notEqual(data.id, dataOf(sample).id);
    assert.match(data.id, /^sess_[0-9A-Za-z]{27}$/);
    assert.match(data.user_id, /^user_[0-9A-Za-z]{27}$/);
    assert.equal(data.user.id, data.user_id, "the session's user and user_id stay one user");
    assert.equal(fresh.instance_id, sample.instance_id, "the instance stays the endpoint's");
    const user = dataOf(freshenSample(readSample("user.created"), NOW));
    assert.equal(user.email_addresses[0].id, user.primary_email_address_id);
    assert.notEqual(user.id, dataOf(freshenSample(readSample("user.created"), NOW)).id, "each trigger is another user");
  });

  test("the envelope is dated now in milliseconds, and every date moves with it", () => {
    const sample = readSample("session.created");
    const fresh = freshenSample(sample, NOW);
    assert.equal(fresh.timestamp, NOW);
    // The spec's examples are dated 1716883200 (seconds); its dates inside data in milliseconds.
    const shift = NOW - 1716883200_000;
    for (const key of ["created_at", "updated_at", "last_active_at", "expire_at", "abandon_at"]) {
      assert.equal(dataOf(fresh)[key], dataOf(sample)[key] + shift, key);
    }
    // The docs' user.created is dated in milliseconds: updated with the delivery, created 321 ms before.
    const docs = freshenSample(readSample("user.created"), NOW);
    assert.equal(dataOf(docs).updated_at, NOW);
    assert.equal(dataOf(docs).created_at, NOW - 321);
  });

  test("every sample, made new, is a delivery the Clerk template accepts as its event", async () => {
    for (const type of listSampleTypes()) {
      const payload = prepareDelivery(readSample(type), [], NOW);
      const context = { source: "clerk", webhookId: "msg_1", webhookTimestamp: NOW / 1000 };
      const [event] = await applyTransform(clerk, JSON.parse(JSON.stringify(payload)), context, 1000);
      assert.equal(event?.name, `clerk/${type}`);
      assert.equal(event?.ts, NOW);
    }
  });
});

describe("--data", () => {
  const data = () => clerkFixture("user.created").data as Data;

  test("path=value sets a value under data; a value that parses as JSON is that JSON", () => {
    const changed = applyDataOverrides(data(), [
      "first_name=Ada",
      "public_metadata.plan=pro",
      "public_metadata.seats=3",
      'external_id="123"',
      "username=null",
    ]);
    assert.equal(changed.first_name, "Ada");
    assert.deepEqual(changed.public_metadata, { plan: "pro", seats: 3 });
    assert.equal(changed.external_id, "123");
    assert.equal(changed.username, null);
    assert.equal(data().first_name, "Example", "the sample itself is untouched");
  });

  test("a number in a path indexes a list", () => {
    const changed = applyDataOverrides(data(), ["email_addresses.0.email_address=ada@example.com"]);
    assert.equal((changed.email_addresses as Data[])[0]?.email_address, "ada@example.com");
    assert.equal((changed.email_addresses as Data[])[0]?.id, data().email_addresses[0].id);
    assert.throws(
      () => applyDataOverrides(data(), ["email_addresses.x.email_address=a"]),
      /is a list of 1; "x" is not an index in it/,
    );
  });

  test("a JSON object merges into data, objects key by key", () => {
    const changed = applyDataOverrides(data(), [
      '{"public_metadata": {"plan": "pro"}, "last_name": "Lovelace"}',
      '{"public_metadata": {"seats": 2}}',
    ]);
    assert.deepEqual(changed.public_metadata, { plan: "pro", seats: 2 });
    assert.equal(changed.last_name, "Lovelace");
  });

  test("the prototype cannot be reached, and a change that is neither form is refused", () => {
    for (const override of [
      "__proto__.polluted=1",
      "constructor.prototype.polluted=1",
      '{"__proto__": {"polluted": 1}}',
      'x={"__proto__": {"polluted": 1}}',
    ]) {
      assert.throws(() => applyDataOverrides(data(), [override]), UsageError, override);
    }
    assert.equal(({} as Data).polluted, undefined);
    assert.throws(() => applyDataOverrides(data(), ["just-text"]), /expected path=value/);
    assert.throws(() => applyDataOverrides(data(), ["{not json"]), /not JSON/);
    assert.throws(() => applyDataOverrides(data(), ["a..b=1"]), /is not a path of data/);
  });

  test("changes apply after the ids are made new, so an id given stays", () => {
    const payload = prepareDelivery(readSample("user.deleted"), ["id=user_2kept"], NOW);
    assert.equal(dataOf(payload).id, "user_2kept");
  });
});
