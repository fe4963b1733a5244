/** What an address is replaced with in a log line. */
export const REDACTED_EMAIL = "[email]";

const LOCAL = /[A-Za-z0-9._%+\-!#$&'*/=?^`{|}~]/;
const DOMAIN = /[A-Za-z0-9.-]/;

/**
 * Replaces every email address in a text with `[email]`: a mail server's refusal quotes the
 * address ("550 5.1.1 <ada@example.org>: user unknown"), and a log line must not carry it.
 * A single pass around each `@` (no regular expression over the whole text, so a hostile
 * server's answer cannot make it backtrack): the local part to the left, the domain (with a dot)
 * to the right. Pure.
 */
export function redactEmails(text: string): string {
  if (!text.includes("@")) return text;
  let out = "";
  let copied = 0;
  for (let at = text.indexOf("@"); at !== -1; at = text.indexOf("@", at + 1)) {
    let start = at;
    while (start > copied && LOCAL.test(text[start - 1]!)) start--;
    let end = at + 1;
    while (end < text.length && DOMAIN.test(text[end]!)) end++;
    // A sentence's full stop (or a dash) after the address is not part of it.
    while (end > at + 1 && (text[end - 1] === "." || text[end - 1] === "-")) end--;
    if (start === at || !text.slice(at + 1, end).includes(".")) continue;
    out += text.slice(copied, start) + REDACTED_EMAIL;
    copied = end;
    at = end - 1;
  }
  return out + text.slice(copied);
}
