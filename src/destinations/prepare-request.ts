import { createHash } from "node:crypto";
import type { DestinationRequest } from "./define-destination.ts";

/** A destination's request, checked and serialized: what goes on the wire, bar the signature. */
export interface PreparedRequest {
  url: URL;
  method: string;
  headers: Headers;
  /** Exactly the bytes sent, so a signature covers what the receiver reads. */
  body?: string;
  idempotencyKey: string;
}

/**
 * The key that makes a delivery recognisable downstream: the same for every attempt of one event
 * to one destination (a retry after a lost answer, a run resumed after a crash), different for
 * another destination or another event (a replay is a new event, so it is delivered anew).
 */
export function idempotencyKey(eventId: string, destination: string): string {
  return createHash("sha256").update(`${eventId}\n${destination}`).digest("hex").slice(0, 32);
}

/**
 * Checks what `request()` returned and serializes its body. Throws a TypeError naming the problem:
 * a request that cannot be sent never will be, so the caller fails the delivery without retries.
 */
export function prepareRequest(request: DestinationRequest, key: string): PreparedRequest {
  if (typeof request !== "object" || request === null)
    throw new TypeError(
      `request() must return { url, method?, headers?, body? } or null, got ${JSON.stringify(request)}`,
    );
  let url: URL;
  try {
    url = new URL(String(request.url));
  } catch {
    throw new TypeError("request().url must be an absolute URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw new TypeError(`request().url must be http: or https:, not ${url.protocol}`);
  const method = (request.method ?? "POST").toUpperCase();
  const headers = new Headers({ "user-agent": "clerk-webhook-bridge" });
  const body =
    request.body === undefined
      ? undefined
      : typeof request.body === "string"
        ? request.body
        : JSON.stringify(request.body);
  if (body !== undefined && typeof request.body !== "string") headers.set("content-type", "application/json");
  if (body !== undefined && (method === "GET" || method === "HEAD"))
    throw new TypeError(`request(): a ${method} request cannot have a body`);
  for (const [name, value] of Object.entries(request.headers ?? {})) headers.set(name, String(value));
  // Set last: the bridge's guarantee, whatever headers the destination chose.
  headers.set("idempotency-key", key);
  return { url, method, headers, ...(body === undefined ? {} : { body }), idempotencyKey: key };
}
