import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { loadConfig } from "../../src/config/load-config.ts";
import {
  deletion,
  requestsNaming,
  signFixture,
  signUp,
  startSignupHarness,
  type SignupHarness,
} from "../helpers/signup-harness.ts";

/**
 * Issue 19, High 1: an erasure must hold. Svix redelivers a message it saw no 2xx for, with the
 * same svix-id and body, for up to 27.6 hours; erasing the user once removed the dedupe key of
 * their user.created with the event, so the redelivery was taken as new.
 */
describe("an erased user stays erased: the tombstone", () => {
  let h: SignupHarness;
  before(async () => {
    h = await startSignupHarness();
  });
  after(() => h?.close());

  /** A user who signs up and gets everything: their row, the welcome email, the destination's call. */
  async function signedUp(id: string, email: string, name: string) {
    const delivery = signFixture(signUp(id, email, name));
    assert.equal((await h.post(delivery)).status, 200);
    const svixId = delivery.headers["svix-id"] as string;
    await h.waitForRun(svixId, "bridge-user-sync", ["completed"]);
    await h.waitForRun(svixId, "bridge-onboarding-email", ["sleeping"]);
    await h.waitForRun(svixId, "bridge-destinations", ["completed"]);
    return { delivery, svixId };
  }

  it("the same signed user.created redelivered after an erasure is answered 200 and changes nothing", async () => {
    const ada = await signedUp("user_ada", "ada@example.org", "Adelheid");
    assert.equal(h.smtp.received.filter((mail) => mail.to.includes("ada@example.org")).length, 1);
    assert.equal(requestsNaming(h.destination, "user_ada"), 1);

    const response = await fetch(`${h.url}/api/users/user_ada`, { method: "DELETE" });
    assert.equal(response.status, 200);
    const { erased } = (await response.json()) as { erased: { tombstoneUntil: string; events: number } };
    assert.equal(erased.events, 1);
    assert.ok(
      Date.parse(erased.tombstoneUntil) > Date.now() + 28 * 3600_000,
      `the report says until when: ${erased.tombstoneUntil}`,
    );
    const audit = (await fetch(`${h.url}/api/audit`).then((r) => r.json())) as {
      entries: Array<{ action: string; target: string; details: Record<string, unknown> }>;
    };
    assert.equal(
      audit.entries.find((entry) => entry.action === "erase" && entry.target === "user_ada")?.details.tombstoneUntil,
      erased.tombstoneUntil,
      "the audit line says so too",
    );

    // Svix's late retry: the very same message, same svix-id, same body, freshly timestamped.
    const redelivered = signFixture(JSON.parse(ada.delivery.body), { id: ada.svixId });
    const again = await h.post(redelivered);
    assert.equal(again.status, 200, "a 2xx, so Svix stops retrying");

    // Another user signs up after it: once their run has gone as far, Ada's would have too.
    const grace = await signedUp("user_grace", "grace@example.org", "Grace");
    assert.deepEqual(await h.runsOf(ada.svixId), [], "no run: the event is not there at all");
    assert.equal((await fetch(`${h.url}/api/events/${ada.svixId}`)).status, 404);
    assert.deepEqual(
      h.smtp.received
        .map((mail) => mail.to)
        .flat()
        .sort(),
      ["ada@example.org", "grace@example.org"],
      "no second welcome email",
    );
    assert.equal(requestsNaming(h.destination, "user_ada"), 1, "no second destination call");
    const row = (await h.pool.query("SELECT email, first_name, deleted_at FROM users WHERE id = 'user_ada'")).rows[0];
    assert.deepEqual(
      { ...row, deleted_at: row.deleted_at instanceof Date },
      { email: null, first_name: null, deleted_at: true },
    );
    const stored = await h.storedOutsideAudit();
    for (const personal of ["ada@example.org", "Adelheid", "user_ada"])
      assert.ok(!stored.includes(personal), `${personal} is nowhere in Redis`);
    assert.ok(
      stored.includes("grace@example.org") && grace.svixId.length > 0,
      "the other user's data is there: the search would find it",
    );
  });

  it("any other event naming the erased user, a deletion or a session, starts nothing either", async () => {
    for (const payload of [
      deletion("user_ada"),
      { type: "session.created", object: "event", data: { id: "sess_1", user_id: "user_ada", status: "active" } },
    ]) {
      const delivery = signFixture(payload);
      assert.equal((await h.post(delivery)).status, 200);
      const control = await signedUp(`user_${Math.random().toString(36).slice(2)}`, "someone@example.org", "Someone");
      assert.ok(control.svixId);
      assert.deepEqual(await h.runsOf(delivery.headers["svix-id"] as string), []);
    }
    const deliveries = (await fetch(`${h.url}/api/deliveries?outcome=erased`).then((r) => r.json())) as {
      deliveries: Array<{ outcome: string; status: number }>;
    };
    assert.equal(deliveries.deliveries.length, 3, "each refused delivery is in the delivery log, as erased");
    assert.ok(!(await h.storedOutsideAudit()).includes("user_ada"));
  });

  it("the Event API and a backfill honour it too", async () => {
    const sent = await fetch(`${h.url}/e/dev`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([
        { name: "app/profile.viewed", data: {}, user: { id: "user_ada" } },
        { id: "backfill-ada", name: "clerk/user.backfilled", data: { id: "user_ada", email_addresses: [] } },
      ]),
    });
    assert.equal(sent.status, 200);
    const { ids } = (await sent.json()) as { ids: string[] };
    assert.equal(ids.length, 2);
    await signedUp("user_late", "late@example.org", "Late");
    for (const id of ids) assert.equal((await fetch(`${h.url}/api/events/${id}`)).status, 404, `${id} was not stored`);
  });
});

describe("TOMBSTONE_TTL", () => {
  it("defaults to 30 days and refuses anything shorter than Svix's retries, naming the variable", () => {
    assert.equal(loadConfig({}).tombstoneTtlMs, 30 * 24 * 3600_000);
    assert.equal(loadConfig({ TOMBSTONE_TTL: "2 days" }).tombstoneTtlMs, 2 * 24 * 3600_000);
    assert.throws(() => loadConfig({ TOMBSTONE_TTL: "1 day" }), /TOMBSTONE_TTL: must be at least 28 hours/);
    assert.throws(() => loadConfig({ TOMBSTONE_TTL: "soon" }), /TOMBSTONE_TTL/);
  });
});
