import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { perSuite } from "../helpers/per-suite.ts";
import { deletion, requestsNaming, signFixture, signUp, startSignupHarness } from "../helpers/signup-harness.ts";

/**
 * Issue 19, Medium 3. Svix does not keep order: a user.deleted may arrive before the user.created
 * it follows. user-sync keeps the row deleted, but onboarding-email's cancelOn had nothing to
 * cancel yet, so both emails went out and the destinations ran. Each send now looks first.
 */
describe("a user.deleted that arrives before its user.created", () => {
  const h = perSuite(
    "the sign-up harness",
    () => startSignupHarness({ ONBOARDING_DELAY: "1s" }),
    (started) => started.close(),
  );

  it("sends no onboarding email and posts nothing about the user; each skipped send says why on the run", async () => {
    const deleted = signFixture(deletion("user_gone"));
    assert.equal((await h.post(deleted)).status, 200);
    await h.waitForRun(deleted.headers["svix-id"] as string, "bridge-user-sync", ["completed"]);
    // The deletion itself still reaches the destination: a CRM must hear of it.
    await h.waitForRun(deleted.headers["svix-id"] as string, "bridge-destinations", ["completed"]);
    assert.equal(requestsNaming(h.destination, "user.deleted"), 1);

    const created = signFixture(signUp("user_gone", "gone@example.org", "Gone"));
    assert.equal((await h.post(created)).status, 200);
    const svixId = created.headers["svix-id"] as string;
    const onboarding = await h.waitForRun(svixId, "bridge-onboarding-email", ["completed", "failed"]);
    const run = await h.run(onboarding.id);
    assert.equal(run.status, "completed");
    assert.deepEqual(
      run.steps.map((step) => [step.id, step.output]),
      [["welcome-email", { skipped: "the user is deleted (users.deleted_at): nothing sent" }]],
    );
    assert.deepEqual(run.output, { welcome: { skipped: "the user is deleted (users.deleted_at): nothing sent" } });

    const destinations = await h.run((await h.waitForRun(svixId, "bridge-destinations", ["completed", "failed"])).id);
    assert.deepEqual(
      destinations.steps.map((step) => [step.id, step.output]),
      [["deliver webhook", { skipped: "the user is deleted (users.deleted_at): nothing sent" }]],
    );
    assert.deepEqual((destinations.output as { skippedUserGone?: string[] }).skippedUserGone, ["webhook"]);

    // A user who is not deleted, signed up after: their welcome arrives, so the first one would have by now.
    const control = signFixture(signUp("user_here", "here@example.org", "Here"));
    assert.equal((await h.post(control)).status, 200);
    await h.smtp.waitFor(1);
    await h.waitForRun(control.headers["svix-id"] as string, "bridge-destinations", ["completed"]);
    assert.deepEqual(h.smtp.received.map((mail) => mail.to).flat(), ["here@example.org"]);
    assert.equal(requestsNaming(h.destination, "gone@example.org"), 0);
    assert.equal(
      (await h.pool.query("SELECT deleted_at IS NOT NULL AS deleted FROM users WHERE id = 'user_gone'")).rows[0]
        ?.deleted,
      true,
    );
  });

  it("a deletion during the drip's sleep that cancelOn did not catch still stops the trial offer", async () => {
    const created = signFixture(signUp("user_later", "later@example.org", "Later"));
    assert.equal((await h.post(created)).status, 200);
    const svixId = created.headers["svix-id"] as string;
    await h.waitForRun(svixId, "bridge-onboarding-email", ["sleeping"]);
    const toLater = () => h.smtp.received.filter((mail) => mail.to.includes("later@example.org")).length;
    assert.equal(toLater(), 1, "the welcome went out");
    // Marked deleted in the mirror behind the engine's back (as a deletion whose cancelOn was missed would leave it).
    await h.pool.query("UPDATE users SET deleted_at = now() WHERE id = 'user_later'");
    const run = await h.run((await h.waitForRun(svixId, "bridge-onboarding-email", ["completed", "failed"])).id);
    assert.equal(run.status, "completed");
    assert.deepEqual(run.steps.find((step) => step.id === "trial-offer-email")?.output, {
      skipped: "the user is deleted (users.deleted_at): nothing sent",
    });
    assert.equal(toLater(), 1, "no trial offer");
  });
});
