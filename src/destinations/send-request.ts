import { Webhook } from "svix";
import { NonRetriableError, RetryAfterError } from "../client/index.ts";
import { findAddressRefusal, type OutboundFetch } from "../outbound/outbound-fetch.ts";
import { fieldsOf } from "../util/json-object.ts";
import type { LoadedDestination } from "./check-destination.ts";
import { judgeAnswer } from "./judge-answer.ts";
import type { PreparedRequest } from "./prepare-request.ts";

/** What one attempt got back: the step's output when delivered, the error's `cause` when not. */
export interface DeliveryAnswer {
  destination: string;
  method: string;
  /** The host only: a webhook URL's path is often its secret (Slack's is). */
  host: string;
  idempotencyKey: string;
  status?: number;
  /** A few headers worth seeing: content type, Retry-After, Location, request ids. */
  headers?: Record<string, string>;
  /** The first BODY_EXCERPT_BYTES of the answer. */
  body?: string;
  truncated?: true;
  /** Why there is no answer (a timeout, a refused connection). */
  error?: string;
}

export const BODY_EXCERPT_BYTES = 2048;
const KEPT_HEADER = /^(content-type|retry-after|location)$|request-id|req-id/;

type Sender = Pick<LoadedDestination, "name" | "timeoutMs" | "accept" | "signingSecret">;

/**
 * One attempt at a delivery, inside its step: signed afresh (Standard Webhooks timestamps are
 * checked within 5 minutes, so a retry an hour later needs a new one; the `webhook-id` stays the
 * idempotency key), sent with a timeout, and judged (judge-answer.ts). Resolves with the answer
 * when delivered; otherwise throws what the engine's retry policy reads: NonRetriableError,
 * RetryAfterError, or a plain Error for the backoff. Every error carries the answer as `cause`.
 */
export async function sendRequest(
  destination: Sender,
  request: PreparedRequest,
  outbound: OutboundFetch,
  now: Date = new Date(),
): Promise<DeliveryAnswer> {
  const base: DeliveryAnswer = {
    destination: destination.name,
    method: request.method,
    host: request.url.host,
    idempotencyKey: request.idempotencyKey,
  };
  const headers = new Headers(request.headers);
  if (destination.signingSecret !== undefined) sign(headers, destination.signingSecret, request, now);
  const signal = AbortSignal.timeout(destination.timeoutMs);
  let answer: DeliveryAnswer & { status: number };
  try {
    const response = await outbound(request.url, {
      method: request.method,
      headers,
      body: request.body,
      signal,
      redirect: "manual",
    });
    answer = {
      ...base,
      status: response.status,
      headers: keptHeaders(response.headers),
      ...(await readExcerpt(response)),
    };
  } catch (error) {
    // A refused address is refused again on every retry: failed for good, naming it.
    const refusal = findAddressRefusal(error);
    if (refusal)
      throw new NonRetriableError(`${destination.name}: ${refusal.message}`, {
        cause: { ...base, error: refusal.message },
      });
    const reason = describeFailure(error, destination.timeoutMs);
    // eslint-disable-next-line preserve-caught-error -- the cause is the attempt as the delivery log records it; the reason says what failed
    throw new Error(`${destination.name}: ${reason}`, { cause: { ...base, error: reason } });
  }
  const { status } = answer;
  const verdict = judgeAnswer(status, answer.headers?.["retry-after"] ?? null, destination.accept);
  const message = `${destination.name}: HTTP ${status}${answer.body ? `: ${answer.body.slice(0, 300)}` : ""}`;
  switch (verdict.kind) {
    case "delivered":
      return answer;
    case "refused":
      throw new NonRetriableError(message, { cause: answer });
    case "retry-after":
      throw new RetryAfterError(message, verdict.after, { cause: answer });
    case "retry":
      throw new Error(message, { cause: answer });
  }
}

/** Standard Webhooks (https://www.standardwebhooks.com/), signed by svix so any of its verifiers accepts it. */
function sign(headers: Headers, secret: string, request: PreparedRequest, now: Date): void {
  headers.set("webhook-id", request.idempotencyKey);
  headers.set("webhook-timestamp", String(Math.floor(now.getTime() / 1000)));
  headers.set("webhook-signature", new Webhook(secret).sign(request.idempotencyKey, now, request.body ?? ""));
}

/** Reads at most BODY_EXCERPT_BYTES and drops the rest: an answer may be a whole HTML error page. */
async function readExcerpt(response: Response): Promise<Pick<DeliveryAnswer, "body" | "truncated">> {
  if (!response.body) return {};
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size > BODY_EXCERPT_BYTES) {
      truncated = true;
      await reader.cancel();
      break;
    }
  }
  const bytes = Buffer.concat(chunks).subarray(0, BODY_EXCERPT_BYTES);
  // A multi-byte character cut at the limit decodes to U+FFFD, not an error.
  return { body: new TextDecoder().decode(bytes), ...(truncated ? { truncated: true as const } : {}) };
}

function keptHeaders(headers: Headers): Record<string, string> {
  const kept: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (KEPT_HEADER.test(name)) kept[name] = value;
  });
  return kept;
}

function describeFailure(error: unknown, timeoutMs: number): string {
  const thrown = fieldsOf(error);
  if (thrown.name === "TimeoutError") return `no answer within ${timeoutMs} ms (timeout)`;
  const cause = fieldsOf(thrown.cause);
  return cause.code ? `${thrown.message} (${cause.code})` : String(cause.message ?? thrown.message ?? error);
}
