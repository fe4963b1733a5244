import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { after, afterEach, before, describe, it } from "node:test";
import type { RunState } from "../../src/client/index.ts";
import { createLogger } from "../../src/logger.ts";
import { createSmtpMailer, type Mailer } from "../../src/functions/mail/create-mailer.ts";
import { createOnboardingEmail } from "../../src/functions/onboarding-email.ts";
import { startTestEngine, type TestEngine } from "../helpers/engine-harness.ts";
import { clerkFixture } from "../helpers/sign-fixture.ts";
import { startTestSmtpServer, type TestSmtpServer } from "../helpers/smtp-test-server.ts";

const FROM = "Team <team@bridge.example>";
const created = clerkFixture("user.created").data as Record<string, unknown>;

let smtp: TestSmtpServer;
let mailer: Mailer;
let engine: TestEngine | undefined;

before(async () => {
  smtp = await startTestSmtpServer();
  mailer = createSmtpMailer({ smtpUrl: smtp.url, from: FROM });
});
after(async () => {
  await mailer.close();
  await smtp.close();
});
afterEach(async () => {
  await engine?.close();
  engine = undefined;
  smtp.received.length = 0;
});

function startWith(delayMs: number) {
  return startTestEngine([createOnboardingEmail({ mailer, delayMs, from: FROM })]);
}

function userCreated(eventId: string, userId: string, extra: Record<string, unknown> = {}) {
  const data = { ...created, id: userId, ...extra };
  return { id: eventId, name: "clerk/user.created", data };
}

const subjects = () => smtp.received.map((email) => email.subject);

describe("onboarding-email on the engine", () => {
  it("sends the welcome email, sleeps, then sends the trial offer", async () => {
    engine = await startWith(300);
    await engine.send(userCreated("o-1", "user_o1"));
    const run = await engine.waitForRun(engine.runId("bridge-onboarding-email", "o-1"), ["completed", "failed"]);
    assert.equal(run.status, "completed");
    assert.deepEqual(run.steps.map((step) => [step.id, step.op, step.status]), [
      ["welcome-email", "run", "completed"],
      ["wait-onboarding-delay", "sleep", "completed"],
      ["trial-offer-email", "run", "completed"],
    ]);
    assert.deepEqual(subjects(), ["Welcome aboard", "Your trial, extended"]);
    assert.deepEqual(smtp.received.map((email) => email.to), [["example@example.org"], ["example@example.org"]]);
    assert.match(smtp.received[0]!.raw, /Hi Example,/);
    // The steps keep the message ids, not a copy of the user's address.
    assert.deepEqual(run.steps.filter((step) => step.op === "run").map((step) => step.output), [
      { messageId: smtp.received[0]!.messageId, via: "smtp" },
      { messageId: smtp.received[1]!.messageId, via: "smtp" },
    ]);
    assert.ok(!JSON.stringify(run.output).includes("example@example.org"), "the run's output holds no address");
  });

  it("a redelivered webhook sends one email", async () => {
    engine = await startWith(60 * 60 * 1000);
    const runId = engine.runId("bridge-onboarding-email", "o-2");
    // Svix redelivers with the same svix-id, which is the event id: concurrently and after the fact.
    await Promise.all([1, 2, 3].map(() => engine!.send(userCreated("o-2", "user_o2"))));
    await engine.waitForRun(runId, "sleeping");
    await engine.send(userCreated("o-2", "user_o2"));
    await engine.waitForRun(runId, "sleeping");
    assert.equal((await engine.store.listRunsForEvent("o-2")).length, 1);
    assert.deepEqual(subjects(), ["Welcome aboard"]);
  });

  it("a user deleted during the sleep never gets the trial email", async () => {
    const delayMs = 1500;
    engine = await startWith(delayMs);
    const runId = engine.runId("bridge-onboarding-email", "o-3");
    await engine.send(userCreated("o-3", "user_o3"));
    await engine.waitForRun(runId, "sleeping");
    // Another user's deletion must not cancel it, nor one without an id (Clerk may omit it).
    await engine.send({ id: "o-3-other", name: "clerk/user.deleted", data: { id: "user_someone_else", deleted: true } });
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
    engine = await startWith(200);
    const runId = engine.runId("bridge-onboarding-email", "o-4");
    await smtp.stop();
    try {
      await engine.send(userCreated("o-4", "user_o4"));
      const failing = await waitForRun(engine, runId, (run) => (run.steps[0]?.attempts ?? 0) >= 2);
      assert.equal(failing.steps[0]?.status, "retrying");
      assert.deepEqual(subjects(), []);
    } finally {
      await smtp.start();
    }
    const run = await engine.waitForRun(runId, ["completed", "failed"], 60_000);
    assert.equal(run.status, "completed");
    assert.deepEqual(subjects(), ["Welcome aboard", "Your trial, extended"]);
    assert.equal(new Set(smtp.received.map((email) => email.messageId)).size, 2);
  });

  it("a user without an email address fails the run at once, with a clear log line and no email", async () => {
    const logs: Array<{ level: number; msg: string; userId?: string }> = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split("\n").filter(Boolean)) logs.push(JSON.parse(line));
        done();
      },
    });
    engine = await startTestEngine([createOnboardingEmail({ mailer, delayMs: 200, from: FROM })], { logger: createLogger("info", sink) });
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

/** Polls the run until `ready` holds (tests only: nothing about time is asserted). */
async function waitForRun(engine: TestEngine, runId: string, ready: (run: RunState) => boolean): Promise<RunState> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const run = await engine.store.getRun(runId);
    if (run && ready(run)) return run;
    await sleep(25);
  }
  throw new Error(`run ${runId} never reached the expected state: ${JSON.stringify(await engine.store.getRun(runId))}`);
}
