import { randomBytes } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Webhook } from "svix";

/** test/fixtures: Svix's own vectors, Svix transformations, fault functions (sources in its README). */
export const FIXTURES_DIR = fileURLToPath(new URL("../fixtures", import.meta.url));
/** samples/clerk: Clerk's own payloads, which `bridge trigger` sends too (sources in samples/README.md). */
export const CLERK_SAMPLES_DIR = fileURLToPath(new URL("../../samples/clerk", import.meta.url));

/**
 * The webhook secret the tests configure and sign with: random for each test process, in the
 * format Svix generates (`whsec_` + base64 of 24 bytes). Never a secret published in Svix's or
 * Clerk's docs, since the bridge must not be run with one (anyone could forge its webhooks).
 */
export const TEST_SECRET = `whsec_${randomBytes(24).toString("base64")}`;

export function clerkFixture(type: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(CLERK_SAMPLES_DIR, `${type}.json`), "utf8"));
}

export function clerkFixtureTypes(): string[] {
  return readdirSync(CLERK_SAMPLES_DIR)
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
