import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { SMTPServer } from "smtp-server";
import { redactEmails } from "../../src/util/redact-emails.ts";
import { signFixture, signUp, startSignupHarness, type SignupHarness } from "../helpers/signup-harness.ts";

/** A real SMTP server that refuses every recipient for good, quoting the address, as Postfix does. */
async function startRefusingSmtpServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    closeTimeout: 100,
    onRcptTo(address, _session, callback) {
      callback(
        Object.assign(
          new Error(`5.1.1 <${address.address}>: Recipient address rejected: User unknown in virtual mailbox table`),
          { responseCode: 550 },
        ),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return { url: `smtp://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/**
 * Issue 19, Medium 4: an SMTP 550 that quotes the address put the email in clear in the run's
 * Redis hash (`error`, the step's record) and in the log, under ENCRYPTION_KEY.
 */
describe("a mail server's refusal that quotes the address", () => {
  let h: SignupHarness;
  let smtp: Awaited<ReturnType<typeof startRefusingSmtpServer>>;
  const logLines: string[] = [];
  before(async () => {
    smtp = await startRefusingSmtpServer();
    h = await startSignupHarness(
      {
        SMTP_URL: smtp.url,
        FUNCTIONS: "onboarding-email",
        ENCRYPTION_KEY: randomBytes(32).toString("base64"),
        LOG_LEVEL: "info",
      },
      { logLines },
    );
  });
  after(async () => {
    await h?.close();
    await smtp?.close();
  });

  it("is sealed in the run's error and the step's record, shown opened to the operator, and logged without the address", async () => {
    const delivery = signFixture(signUp("user_bounce", "bounce.back@example.org", "Bounce"));
    assert.equal((await h.post(delivery)).status, 200);
    const summary = await h.waitForRun(delivery.headers["svix-id"] as string, "bridge-onboarding-email", ["failed"]);
    const run = await h.run(summary.id);
    assert.match(run.error?.message ?? "", /bounce\.back@example\.org/, "the operator sees the server's answer");
    assert.match(
      run.steps.find((step) => step.id === "welcome-email")?.error?.message ?? "",
      /550.*bounce\.back@example\.org/,
    );

    const stored = await h.storedOutsideAudit();
    assert.ok(stored.includes("enc:v1:"), "sealed values are there");
    assert.ok(
      !stored.includes("bounce.back@example.org"),
      `the address is nowhere in Redis in clear: ${stored
        .split("\n")
        .filter(
          (line, i, all) => line.includes("bounce.back@example.org") || all[i + 1]?.includes("bounce.back@example.org"),
        )
        .join(" | ")
        .slice(0, 1500)}`,
    );
    const logs = logLines.join("");
    assert.ok(logs.includes(summary.id), "the failure is logged, with its run id");
    assert.ok(
      logs.includes("5.1.1 <[email]>: Recipient address rejected"),
      "with the server's answer, the address redacted",
    );
    assert.ok(!logs.includes("bounce.back@example.org"), "the address is in no log line");
  });
});

describe("redactEmails", () => {
  it("takes out every address and nothing else, in one pass", () => {
    assert.equal(redactEmails("550 5.1.1 <ada@example.org>: user unknown"), "550 5.1.1 <[email]>: user unknown");
    assert.equal(redactEmails("to ada.l+tag@mail.example.co.uk, bob@ex.com."), "to [email], [email].");
    assert.equal(redactEmails("no address @ all, me@localhost"), "no address @ all, me@localhost");
    // A hostile answer made of @s costs one pass, not a backtracking search.
    assert.equal(redactEmails("a@".repeat(50_000)), "a@".repeat(50_000));
  });
});
