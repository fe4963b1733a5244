import { randomInt } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { UsageError } from "./cli-io.ts";
import { packageRoot } from "./package-version.ts";

/**
 * Clerk's own example payloads (samples/clerk, one per event type: samples/README.md names their
 * sources), and what makes one of them a new delivery: every Clerk id replaced by a fresh one,
 * and every date moved to now. A second `bridge trigger user.created` is then another user,
 * not a redelivery of the first, and the dates are ones user-sync's ordering guard accepts.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
/** A Clerk envelope: `{ type, data, object: "event", timestamp, instance_id, ... }`. */
export type ClerkPayload = { [key: string]: Json };

function samplesDir(): URL {
  return new URL("samples/clerk/", packageRoot());
}

/** The event types with a sample, sorted: `user.created`, `session.created`, ... */
export function listSampleTypes(): string[] {
  return readdirSync(samplesDir())
    .filter((file) => file.endsWith(".json"))
    .map((file) => file.slice(0, -".json".length))
    .sort();
}

/** A type's sample as Clerk wrote it. Only a listed type is read: the name never becomes a path of its own. */
export function readSample(type: string): ClerkPayload {
  const types = listSampleTypes();
  if (!types.includes(type)) {
    throw new UsageError(`no sample of "${type}": one of ${types.join(", ")}`);
  }
  return JSON.parse(readFileSync(new URL(`${type}.json`, samplesDir()), "utf8")) as ClerkPayload;
}

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** `<prefix>_` and 27 random base62 characters, the shape of Clerk's and Svix's ids. */
export function freshId(prefix: string): string {
  let id = "";
  for (let i = 0; i < 27; i++) id += BASE62[randomInt(BASE62.length)];
  return `${prefix}_${id}`;
}

const CLERK_ID = /^([a-z]+)_[A-Za-z0-9]+$/;
/** The instance is the same for every delivery of an endpoint. */
const KEPT_IDS = new Set(["instance_id"]);
const isIdKey = (key: string) => (key === "id" || key.endsWith("_id")) && !KEPT_IDS.has(key);
/** Dates in milliseconds: `created_at`, `expire_at`, `billing_date`, `period_start`, ... */
const isDateKey = (key: string) =>
  key.endsWith("_at") || key.endsWith("_date") || key === "period_start" || key === "period_end";
/** Milliseconds since 1970 in the range Clerk's dates fall in (2001 to 2286). */
const isMilliseconds = (value: number) => Number.isInteger(value) && value >= 1e12 && value < 1e13;

/**
 * The payload as a new delivery of its type: each Clerk id (`user_...`, `idn_...`, `sess_...`)
 * becomes a fresh one of the same prefix, wherever it appears (a session's `user_id` and its
 * `user.id` stay equal, as `primary_email_address_id` and its address's `id` do); each date
 * moves by as much as the envelope's `timestamp` takes to reach `now` (a session still expires a
 * week after it starts); the envelope's `timestamp` is `now`, in milliseconds as real deliveries.
 */
export function freshenSample(payload: ClerkPayload, now: number): ClerkPayload {
  const ids = new Map<string, string>();
  visit(payload, (key, value) => {
    const prefix = typeof value === "string" && isIdKey(key) ? CLERK_ID.exec(value)?.[1] : undefined;
    if (prefix && !ids.has(value as string)) ids.set(value as string, freshId(prefix));
  });
  const stamp = typeof payload.timestamp === "number" ? payload.timestamp : now;
  const shift = now - (stamp < 1e12 ? stamp * 1000 : stamp);
  const fresh = rewrite(payload, (key, value) => {
    if (typeof value === "string") return ids.get(value) ?? value;
    if (typeof value === "number" && isDateKey(key) && isMilliseconds(value)) return value + shift;
    return value;
  }) as ClerkPayload;
  return { ...fresh, timestamp: now };
}

function visit(value: Json, see: (key: string, value: Json) => void, key = ""): void {
  if (Array.isArray(value)) for (const item of value) visit(item, see, key);
  else if (value !== null && typeof value === "object")
    for (const [name, child] of Object.entries(value)) visit(child, see, name);
  else see(key, value);
}

function rewrite(value: Json, change: (key: string, value: Json) => Json, key = ""): Json {
  if (Array.isArray(value)) return value.map((item) => rewrite(item, change, key));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([name, child]) => [name, rewrite(child, change, name)]));
  }
  return change(key, value);
}
