import { Webhook } from "svix";
import { messageOf } from "../util/thrown.ts";

/**
 * Webhook signing secrets as operators paste them: `whsec_<base64>`, one or several (space- or
 * comma-separated, for a rotation). Each one is decoded here, by the svix library that will
 * verify with it, when the configuration loads: a truncated paste (`whsec_abc`) otherwise passes
 * a pattern check and the start dies later in svix with "Base64Coder: incorrect padding" and a
 * stack trace that names no variable. The bridge and the CLI (`bridge sign`, `bridge trigger`)
 * read secrets through this one function, so they accept and refuse the same ones.
 */

/** `CLERK_WEBHOOK_SECRET` for source `clerk`: the variable a source reads its secrets from. */
export function secretVariableOf(source: string): string {
  return `${source.toUpperCase().replaceAll("-", "_")}_WEBHOOK_SECRET`;
}

const SECRET_SHAPE = /^whsec_[A-Za-z0-9+/=]+$/;
const ORDINALS = ["first", "second", "third", "fourth", "fifth"];

/** "the second of 3 secrets", or "the secret" when there is one: which one to fix, never its value. */
function whichSecret(index: number, count: number): string {
  if (count === 1) return "the secret";
  return `the ${ORDINALS[index] ?? `#${index + 1}`} of ${count} secrets`;
}

/**
 * Splits a variable's value into its secrets and checks each one. Answers the secrets, or the
 * problems (one line each, naming which secret and what is wrong with it; a secret's value is
 * never repeated, since these lines are printed and logged).
 */
export function parseWebhookSecrets(value: string): { secrets: string[]; problems: string[] } {
  const secrets = value.split(/[\s,]+/).filter(Boolean);
  const problems: string[] = [];
  secrets.forEach((secret, index) => {
    const which = whichSecret(index, secrets.length);
    if (!SECRET_SHAPE.test(secret)) {
      problems.push(
        `${which} does not look like whsec_<base64> (${secret.length} characters); copy the Signing Secret from Clerk Dashboard → Webhooks → your endpoint`,
      );
      return;
    }
    const base64 = secret.slice("whsec_".length);
    // svix's decoder takes `whsec_abcde` without a word and verifies with whatever bytes it
    // makes of it; base64 comes in groups of 4 characters, and a truncated paste rarely ends on one.
    if (base64.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) {
      problems.push(
        `${which} is not valid base64 after whsec_ (${base64.length} characters, not a multiple of 4: a truncated paste?)`,
      );
      return;
    }
    try {
      // What the verifier does with it at start.
      new Webhook(secret);
    } catch (error) {
      problems.push(`${which} is not a usable secret: ${messageOf(error)}`);
    }
  });
  return { secrets: problems.length === 0 ? secrets : [], problems };
}
