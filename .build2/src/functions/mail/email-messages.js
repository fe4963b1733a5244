/**
 * The onboarding messages, as pure functions of the recipient: subject, plain text and HTML.
 * Names come from the user's own profile, so they are escaped before they go into HTML.
 */
/** "Hi Ada," or, without a usable first name, "Hi there,". */
export function greeting(firstName) {
    const name = typeof firstName === "string" ? firstName.trim() : "";
    return name === "" ? "Hi there," : `Hi ${name},`;
}
export function welcomeEmail(recipient) {
    return compose("Welcome aboard", greeting(recipient.firstName), [
        "Thanks for signing up. Your account is ready and you can start right away.",
        "If you have a question, reply to this email: a person reads every answer.",
    ]);
}
export function trialOfferEmail(recipient) {
    return compose("Your trial, extended", greeting(recipient.firstName), [
        "You have been with us for a few days now. To help you get the most out of it, we have extended your trial.",
        "Nothing to do on your side: the extra time is already on your account.",
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
        "</body></html>",
    ].join("\n");
    return { subject, text, html };
}
export function escapeHtml(value) {
    return value
        .replaceAll("&", "&amp;")
        .replaceAll("<", "&lt;")
        .replaceAll(">", "&gt;")
        .replaceAll('"', "&quot;")
        .replaceAll("'", "&#39;");
}
