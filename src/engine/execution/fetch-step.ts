import { findAddressRefusal, type OutboundFetch } from "../../outbound/outbound-fetch.ts";
import { NonRetriableError } from "../definition/non-retriable-error.ts";
import type { RunStep } from "./run-step.ts";

/** A response as step.fetch stores it (Inngest's gateway stores `{ status_code, headers, body }`). */
export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Statuses whose Response must have no body (the Fetch standard's "null body status"). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/**
 * `step.fetch(input, init)`: Inngest's durable fetch. One step, id "step.fetch: <hostname>" (with
 * `:1`, `:2` on repeats), executed in the worker like step.run and stored as
 * `{ status, headers, body }`; the handler gets a Response rebuilt from it, on the first run and on
 * every replay alike. As with Inngest's gateway, any HTTP status is a result (a 500 is stored, not
 * retried: the handler decides); a network error is a step failure, retried like step.run. The
 * body is stored as text, so a binary body does not survive. The URL and method are stored as the
 * step's input; headers and request body are not (they may hold secrets). Loopback, private and
 * link-local addresses are refused (FETCH_ALLOW_PRIVATE), redirects' targets included: a
 * NonRetriableError naming the address.
 */
export function fetchStep(
  step: RunStep,
  outbound: OutboundFetch,
  input: string | URL | Request,
  init?: RequestInit,
): Promise<Response> {
  const href = input instanceof Request ? input.url : String(input);
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    throw new NonRetriableError(`step.fetch: ${JSON.stringify(href)} is not an absolute URL`);
  }
  const method = init?.method ?? (input instanceof Request ? input.method : "GET");
  const execute = async (): Promise<StoredResponse> => {
    const response = await outbound(input, init).catch((error: unknown) => {
      // A refused address is refused again on every retry: fail the run at once, naming it.
      const refusal = findAddressRefusal(error);
      throw refusal ? new NonRetriableError(`step.fetch: ${refusal.message}`, { cause: refusal }) : error;
    });
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => (headers[name] = value));
    return { status: response.status, headers, body: await response.text() };
  };
  return step<StoredResponse>(
    `step.fetch: ${url.hostname}`,
    { op: "fetch" },
    { execute, fields: { input: [{ method, url: url.href }] } },
  ).then(toResponse);
}

function toResponse(stored: StoredResponse): Response {
  return new Response(NULL_BODY.has(stored.status) ? null : stored.body, {
    status: stored.status,
    headers: stored.headers,
  });
}
