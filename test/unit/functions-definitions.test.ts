import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { pino } from "pino";
import type { FunctionEvent, HandlerContext, StepTools } from "../../src/client/index.ts";
import type { Mailer, OutgoingEmail } from "../../src/functions/mail/create-mailer.ts";
import { createOnboardingEmail } from "../../src/functions/onboarding-email.ts";
import type { Pool } from "../../src/functions/postgres/create-pool.ts";
import { createUserSync } from "../../src/functions/user-sync.ts";
import { clerkFixture } from "../helpers/sign-fixture.ts";

/**
 * The handlers, driven by a step tool that runs each step at once and records what was asked:
 * which steps, in which order, with which sleep. The engine's own semantics are tested in its files.
 */
function recordingContext(event: Partial<FunctionEvent>) {
  const ops: string[] = [];
  const step = {
    async run(id: string, fn: () => unknown) {
      ops.push(`run:${id}`);
      return fn();
    },
    async sleep(id: string, duration: string | number) {
      ops.push(`sleep:${id}:${duration}`);
    },
  } as unknown as StepTools;
  const ctx = {
    event: { id: "evt_1", name: "clerk/user.created", ts: 1_700_000_000_000, data: {}, ...event },
    step,
    logger: pino({ level: "silent" }),
  } as unknown as HandlerContext;
  return { ctx, ops };
}

function recordingMailer() {
  const sent: OutgoingEmail[] = [];
  const mailer: Mailer = {
    via: "outbox",
    async send(email) {
      sent.push(email);
      return { messageId: email.messageId, via: "outbox", to: email.to };
    },
    async close() {},
  };
  return { mailer, sent };
}

const created = clerkFixture("user.created").data as Record<string, unknown>;

describe("onboarding-email", () => {
  it("is triggered by clerk/user.created and cancelled by a user.deleted for the same user", () => {
    const fn = createOnboardingEmail({ mailer: recordingMailer().mailer, delayMs: 1000, from: "a@b.c" });
    assert.deepEqual([fn.id, fn.appId, fn.localId], ["bridge-onboarding-email", "bridge", "onboarding-email"]);
    assert.deepEqual(fn.triggers, [{ event: "clerk/user.created" }]);
    assert.deepEqual(fn.cancelOn, [{ event: "clerk/user.deleted", if: "event.data.id == async.data.id" }]);
  });

  it("sends the welcome email, sleeps ONBOARDING_DELAY, then sends the trial offer", async () => {
    const { mailer, sent } = recordingMailer();
    const fn = createOnboardingEmail({ mailer, delayMs: 259_200_000, from: "Team <team@example.org>" });
    const { ctx, ops } = recordingContext({ data: created });
    await fn.handler(ctx);
    assert.deepEqual(ops, ["run:welcome-email", "sleep:wait-onboarding-delay:259200000", "run:trial-offer-email"]);
    assert.deepEqual(
      sent.map((email) => [email.to, email.subject, email.messageId]),
      [
        ["example@example.org", "Welcome aboard", "<evt_1.welcome@example.org>"],
        ["example@example.org", "Your trial, extended", "<evt_1.trial-offer@example.org>"],
      ],
    );
    assert.match(sent[0]!.text, /^Hi Example,/);
  });

  it("a user without an email address ends the run as not retriable and sends nothing", async () => {
    const { mailer, sent } = recordingMailer();
    const fn = createOnboardingEmail({ mailer, delayMs: 1000, from: "a@b.c" });
    const { ctx, ops } = recordingContext({
      data: { id: "user_1", email_addresses: [], primary_email_address_id: null },
    });
    await assert.rejects(Promise.resolve(fn.handler(ctx)), (error: Error) => {
      assert.equal(error.name, "NonRetriableError");
      assert.match(error.message, /user_1 has no primary email address/);
      return true;
    });
    assert.deepEqual(ops, []);
    assert.deepEqual(sent, []);
  });

  it("a refused mailbox (5xx) is not retried; a server that is down is", async () => {
    const failing = (error: Error): Mailer => ({
      via: "smtp",
      send: () => Promise.reject(error),
      close: async () => {},
    });
    const refused = Object.assign(new Error("550 no such user"), { responseCode: 550 });
    const down = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    const run = (mailer: Mailer) =>
      Promise.resolve(
        createOnboardingEmail({ mailer, delayMs: 0, from: "a@b.c" }).handler(recordingContext({ data: created }).ctx),
      );
    await assert.rejects(run(failing(refused)), { name: "NonRetriableError" });
    await assert.rejects(run(failing(down)), (error: Error) => error === down);
  });
});

describe("user-sync", () => {
  const unusedPool = {} as Pool;

  it("is triggered by user.created, user.updated, user.deleted and the backfill's user.backfilled", () => {
    const fn = createUserSync({ pool: unusedPool });
    assert.deepEqual([fn.id, fn.appId, fn.localId], ["bridge-user-sync", "bridge", "user-sync"]);
    assert.deepEqual(
      fn.triggers.map((trigger) => ("event" in trigger ? trigger.event : "")),
      ["clerk/user.created", "clerk/user.updated", "clerk/user.deleted", "clerk/user.backfilled"],
    );
  });

  it("a user.deleted without data.id is skipped without touching the database", async () => {
    const { ctx, ops } = recordingContext({ name: "clerk/user.deleted", data: { object: "user", deleted: true } });
    const result = await createUserSync({ pool: unusedPool }).handler(ctx);
    assert.deepEqual(ops, []);
    assert.deepEqual(result, { outcome: "skipped", reason: "user.deleted without data.id" });
  });
});
