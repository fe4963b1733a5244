import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { greeting, trialOfferEmail, welcomeEmail } from "../../src/functions/mail/email-messages.ts";
import { isPermanentSmtpError } from "../../src/functions/mail/create-mailer.ts";

describe("onboarding email messages", () => {
  it("greets the user by first name", () => {
    const message = welcomeEmail({ email: "ada@example.org", firstName: "Ada" });
    assert.match(message.text, /^Hi Ada,/);
    assert.match(message.html, /<p>Hi Ada,<\/p>/);
    assert.equal(message.subject, "Welcome aboard");
  });

  it("without a first name the greeting is still sensible", () => {
    assert.equal(greeting(null), "Hi there,");
    assert.equal(greeting(undefined), "Hi there,");
    assert.equal(greeting("   "), "Hi there,");
    assert.match(trialOfferEmail({ email: "x@example.org", firstName: null }).text, /^Hi there,/);
  });

  it("a name is escaped in the HTML part, never injected", () => {
    const message = welcomeEmail({ email: "x@example.org", firstName: '<img src=x onerror="alert(1)">' });
    assert.doesNotMatch(message.html, /<img/);
    assert.match(message.html, /&lt;img src=x onerror=&quot;alert\(1\)&quot;&gt;/);
    assert.match(message.text, /<img/, "the plain-text part keeps the name as typed");
  });

  it("the two messages differ in subject and body", () => {
    const recipient = { email: "x@example.org", firstName: "Ada" };
    assert.notEqual(welcomeEmail(recipient).subject, trialOfferEmail(recipient).subject);
    assert.notEqual(welcomeEmail(recipient).text, trialOfferEmail(recipient).text);
  });

  it("a 5xx SMTP reply is permanent; a 4xx or a refused connection is not", () => {
    assert.equal(isPermanentSmtpError({ responseCode: 550 }), true);
    assert.equal(isPermanentSmtpError({ responseCode: 451 }), false);
    assert.equal(
      isPermanentSmtpError(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" })),
      false,
    );
    assert.equal(isPermanentSmtpError(null), false);
  });
});
