import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, it } from "node:test";
import { createOnboardingEmail } from "../../src/functions/onboarding-email.ts";
import { engineForEachTest } from "../helpers/engine-harness.ts";
import { clerkFixture } from "../helpers/sign-fixture.ts";
import { smtpForTests } from "../helpers/smtp-test-server.ts";
import { captureLogs } from "../helpers/test-services.ts";

const FROM = "Team <team@bridge.example>";
const created = clerkFixture("user.created").data as Record<string, unknown>;

const mail = smtpForTests(FROM);
const startEngine = engineForEachTest();
afterEach(() => {
  mail.smtp.received.length = 0;
});

function startWith(delayMs: number) {
  return startEngine([createOnboardingEmail({ mailer: mail.mailer, delayMs, from: FROM })]);
}

function userCreated(eventId: string, userId: string, extra: Record<string, unknown> = {}) {
  const data = { ...created, id: userId, ...extra };
  return { id: eventId, name: "clerk/user.created", data };
}

const subjects = () => mail.smtp.received.map((email) => email.subject);

describe("onboarding-email on the engine", () => {
  it("sends the welcome email, sleeps, then sends the trial offer", async () => {
    const engine = await startWith(300);
    await engine.send(userCreated("o-1", "user_o1"));
    const run = await engine.waitForRun(engine.runId("bridge-onboarding-email", "o-1"), ["completed", "failed"]);
    assert.equal(run.status, "completed");
    assert.deepEqual(
      run.steps.map((step) => [step.id, step.op, step.status]),
      [
        ["welcome-email", "run", "completed"],
        ["wait-onboarding-delay", "sleep", "completed"],
        ["trial-offer-email", "run", "completed"],
      ],
    );
    assert.deepEqual(subjects(), ["Welcome aboard", "Your trial, extended"]);
    assert.deepEqual(
      mail.smtp.received.map((email) => email.to),
      [["example@example.org"], ["example@example.org"]],
    );
    assert.match(mail.smtp.received[0]!.raw, /Hi Example,/);
    // The steps keep the message ids, not a copy of the user's address.
    assert.deepEqual(
      run.steps.filter((step) => step.op === "run").map((step) => step.output),
      [
        { messageId: mail.smtp.received[0]!.messageId, via: "smtp" },
        { messageId: mail.smtp.received[1]!.messageId, via: "smtp" },
      ],
    );
    assert.ok(!JSON.stringify(run.output).includes("example@example.org"), "the run's output holds no address");
  });

  it("a redelivered webhook sends one email", async () => {
    const engine = await startWith(60 * 60 * 1000);
    const runId = engine.runId("bridge-onboarding-email", "o-2");
    // Svix redelivers with the same svix-id, which is the event id: concurrently and after the fact.
    await Promise.all([1, 2, 3].map(() => engine.send(userCreated("o-2", "user_o2"))));
    await engine.waitForRun(runId, "sleeping");
    await engine.send(userCreated("o-2", "user_o2"));
    await engine.waitForRun(runId, "sleeping");
    assert.equal((await engine.store.listRunsForEvent("o-2")).length, 1);
    assert.deepEqual(subjects(), ["Welcome aboard"]);
  });

  it("a user deleted during the sleep never gets the trial email", async () => {
    const delayMs = 1500;
    const engine = await startWith(delayMs);
    const runId = engine.runId("bridge-onboarding-email", "o-3");
    await engine.send(userCreated("o-3", "user_o3"));
    await engine.waitForRun(runId, "sleeping");
    // Another user's deletion must not cancel it, nor one without an id (Clerk may omit it).
    await engine.send({
      id: "o-3-other",
      name: "clerk/user.deleted",
      data: { id: "user_someone_else", deleted: true },
    });
    await engine.send({ id: "o-3-no-id", name: "clerk/user.deleted", data: { object: "user", deleted: true } });
    await engine.send({ id: "o-3-deleted", name: "clerk/user.deleted", data: { id: "user_o3", deleted: true } });
    const run = await engine.waitForRun(runId, ["cancelled", "completed", "failed"]);
    assert.equal(run.status, "cancelled");
    assert.match(run.cancelReason ?? "", /\(o-3-deleted\)/, "cancelled by this user's deletion, not by the others");
    // Wait past the moment the trial offer was due: nothing more arrives.
    await sleep(delayMs + 1000);
    assert.equal((await engine.store.getRun(runId))?.status, "cancelled");
    assert.deepEqual(subjects(), ["Welcome aboard"]);
  });

  it("SMTP down, then up: each email is sent exactly once", async () => {
    const engine = await startWith(200);
    const runId = engine.runId("bridge-onboarding-email", "o-4");
    await mail.smtp.stop();
    try {
      await engine.send(userCreated("o-4", "user_o4"));
      const failing = await engine.waitForRun(runId, (run) => (run.steps[0]?.attempts ?? 0) >= 2, 30_000);
      assert.equal(failing.steps[0]?.status, "retrying");
      assert.deepEqual(subjects(), []);
    } finally {
      await mail.smtp.start();
    }
    const run = await engine.waitForRun(runId, ["completed", "failed"], 60_000);
    assert.equal(run.status, "completed");
    assert.deepEqual(subjects(), ["Welcome aboard", "Your trial, extended"]);
    assert.equal(new Set(mail.smtp.received.map((email) => email.messageId)).size, 2);
  });

  it("a user without an email address fails the run at once, with a clear log line and no email", async () => {
    const { logger, lines: logs } = captureLogs<{ level: number; msg: string; userId?: string }>("info");
    const engine = await startEngine([createOnboardingEmail({ mailer: mail.mailer, delayMs: 200, from: FROM })], {
      logger,
    });
    await engine.send(userCreated("o-5", "user_o5", { email_addresses: [], primary_email_address_id: null }));
    const run = await engine.waitForRun(engine.runId("bridge-onboarding-email", "o-5"), ["completed", "failed"]);
    assert.equal(run.status, "failed");
    assert.equal(run.error?.name, "NonRetriableError");
    assert.match(run.error?.message ?? "", /user_o5 has no primary email address/);
    assert.deepEqual(run.steps, [], "no email step ran");
    assert.deepEqual(subjects(), []);
    const line = logs.find((entry) => entry.level === 40 && /no primary email address/.test(entry.msg));
    assert.ok(line, "a warning says why no email is sent");
    assert.equal(line.userId, "user_o5");
  });
});
