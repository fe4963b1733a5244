import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Webhook } from "svix";

const here = dirname(fileURLToPath(import.meta.url));

/** ../shared/fixtures beside the checkout: Clerk's own payloads and Svix's own vectors. */
export const FIXTURES_DIR = resolve(here, "../../../shared/fixtures");

/** A fixed test secret in Svix's format (the one from Svix's own test suite). */
export const TEST_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

export function clerkFixture(type: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(FIXTURES_DIR, "clerk", `${type}.json`), "utf8"));
}

export function clerkFixtureTypes(): string[] {
  return readdirSync(join(FIXTURES_DIR, "clerk"))
    .filter((file) => file.endsWith(".json"))
    .map((file) => file.slice(0, -".json".length))
    .sort();
}

export interface SignedDelivery {
  body: string;
  headers: Record<string, string>;
}

/**
 * Signs a payload the way Svix does, with the svix library itself. Each negative test changes
 * exactly one of the returned fields.
 */
export function signFixture(
  payload: unknown,
  options: { secret?: string; id?: string; timestamp?: Date } = {},
): SignedDelivery {
  const body = typeof payload === "string" ? payload : JSON.stringify(payload);
  const id = options.id ?? `msg_${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
  const timestamp = options.timestamp ?? new Date();
  const signature = new Webhook(options.secret ?? TEST_SECRET).sign(id, timestamp, body);
  return {
    body,
    headers: {
      "content-type": "application/json",
      "svix-id": id,
      "svix-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
      "svix-signature": signature,
    },
  };
}
