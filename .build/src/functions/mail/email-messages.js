function greeting(firstName) {
  const name = typeof firstName === "string" ? firstName.trim() : "";
  return name === "" ? "Hi there," : `Hi ${name},`;
}
function welcomeEmail(recipient) {
  return compose("Welcome aboard", greeting(recipient.firstName), [
    "Thanks for signing up. Your account is ready and you can start right away.",
    "If you have a question, reply to this email: a person reads every answer."
  ]);
}
function trialOfferEmail(recipient) {
  return compose("Your trial, extended", greeting(recipient.firstName), [
    "You have been with us for a few days now. To help you get the most out of it, we have extended your trial.",
    "Nothing to do on your side: the extra time is already on your account."
  ]);
}
function compose(subject, greetingLine, paragraphs) {
  const text = [greetingLine, "", ...paragraphs.flatMap((paragraph) => [paragraph, ""]), "The team"].join("\n");
  const html = [
    "<!doctype html>",
    `<html><body style="font-family: system-ui, sans-serif; line-height: 1.5">`,
    `<p>${escapeHtml(greetingLine)}</p>`,
    ...paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`),
    "<p>The team</p>",
    "</body></html>"
  ].join("\n");
  return { subject, text, html };
}
function escapeHtml(value) {
  return value.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;").replaceAll("'", "&#39;");
}
export {
  escapeHtml,
  greeting,
  trialOfferEmail,
  welcomeEmail
};
