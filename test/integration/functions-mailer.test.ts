import assert from "node:assert/strict";
import { after, afterEach, describe, it } from "node:test";
import { Redis } from "ioredis";
import { createOutboxMailer, isPermanentSmtpError, stableMessageId } from "../../src/functions/mail/create-mailer.ts";
import { createSmtpMailer } from "../../src/functions/mail/smtp-mailer.ts";
import { listOutbox } from "../../src/functions/mail/dev-outbox.ts";
import { bridgeKeys } from "../../src/redis/keys.ts";
import { welcomeEmail } from "../../src/functions/mail/email-messages.ts";
import { perSuite } from "../helpers/per-suite.ts";
import { startTestSmtpServer } from "../helpers/smtp-test-server.ts";
import { dropPrefix, TEST_REDIS_URL, testPrefix } from "../helpers/test-redis.ts";

const FROM = "Bridge <no-reply@bridge.example>";
const message = { ...welcomeEmail({ email: "ada@example.org", firstName: "Ada" }), to: "ada@example.org" };

describe("the SMTP mailer", () => {
  const smtp = perSuite("the test SMTP server", startTestSmtpServer, (server) => server.close());

  it("delivers subject, text and HTML with the stable Message-ID to the SMTP server", async () => {
    const mailer = createSmtpMailer({ smtpUrl: smtp.url, from: FROM });
    try {
      const messageId = stableMessageId("evt_1.welcome", FROM);
      const sent = await mailer.send({ ...message, messageId });
      assert.deepEqual(sent, { messageId, via: "smtp", to: "ada@example.org" });
      const [email] = await smtp.waitFor(1);
      assert.equal(email?.subject, "Welcome aboard");
      assert.equal(email?.messageId, "<evt_1.welcome@bridge.example>");
      assert.deepEqual(email?.to, ["ada@example.org"]);
      assert.equal(email?.from, "no-reply@bridge.example");
      assert.match(email?.raw ?? "", /text\/html/);
    } finally {
      await mailer.close();
    }
  });

  it("with the server down the send fails with a retriable error", async () => {
    const down = await startTestSmtpServer();
    await down.stop();
    const mailer = createSmtpMailer({ smtpUrl: down.url, from: FROM });
    try {
      const error = await mailer.send({ ...message, messageId: "<x@y>" }).then(
        () => null,
        (thrown: unknown) => thrown,
      );
      assert.ok(error instanceof Error, "the send must fail");
      assert.equal(isPermanentSmtpError(error), false);
    } finally {
      await mailer.close();
      await down.close();
    }
  });
});

describe("the development outbox", () => {
  const prefix = testPrefix();
  const outboxKey = bridgeKeys(prefix).outbox;
  const redis = new Redis(TEST_REDIS_URL);
  afterEach(() => dropPrefix(prefix));
  after(() => redis.quit());

  it("keeps sent emails in Redis, newest first, readable with listOutbox", async () => {
    const mailer = createOutboxMailer({ redis, key: outboxKey, from: FROM });
    await mailer.send({ ...message, subject: "first", messageId: "<1@x>" });
    await mailer.send({ ...message, subject: "second", messageId: "<2@x>" });
    const entries = await listOutbox(redis, outboxKey);
    assert.deepEqual(
      entries.map((entry) => entry.subject),
      ["second", "first"],
    );
    assert.equal(entries[0]?.from, FROM);
    assert.equal(entries[0]?.to, "ada@example.org");
    assert.match(entries[0]?.html ?? "", /Hi Ada/);
    assert.equal(typeof entries[0]?.sentAt, "number");
    assert.equal(await redis.exists(`{${prefix}}:outbox`), 1, "the key carries the bridge's hash tag");
  });

  it("is capped: the oldest emails fall off", async () => {
    const mailer = createOutboxMailer({ redis, key: outboxKey, from: FROM, cap: 3 });
    for (let i = 1; i <= 5; i++) await mailer.send({ ...message, subject: `n${i}`, messageId: `<${i}@x>` });
    assert.deepEqual(
      (await listOutbox(redis, outboxKey)).map((entry) => entry.subject),
      ["n5", "n4", "n3"],
    );
    assert.deepEqual(
      (await listOutbox(redis, outboxKey, { limit: 1, offset: 1 })).map((entry) => entry.subject),
      ["n4"],
    );
  });
});

describe("stable Message-IDs", () => {
  it("are the same for the same key and use the sender's domain", () => {
    assert.equal(stableMessageId("evt 1/welcome", FROM), "<evt_1_welcome@bridge.example>");
    assert.equal(stableMessageId("a", "plain@example.org"), "<a@example.org>");
    assert.equal(stableMessageId("a", "no address"), "<a@clerk-webhook-bridge.local>");
  });
});
