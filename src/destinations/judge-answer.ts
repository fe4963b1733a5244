/**
 * What an answer from a destination means for its delivery, pure (table-tested):
 *
 * - 2xx, or a status the destination lists in `accept`: delivered.
 * - 429 and 503 with a usable `Retry-After` (seconds or an HTTP date, RFC 9110 §10.2.3): retried
 *   then, within the step's retry budget.
 * - Any other 4xx but 408 and 429: refused for good. The same request would be refused again
 *   (bad payload, bad token, gone), so retrying only delays the error.
 * - 3xx: refused too. Redirects are not followed: a webhook that moved is a configuration change
 *   (a POST redirected by 301/302 would arrive as a GET without its body anyway).
 * - Everything else (5xx, 408, 429 without Retry-After): retried with the engine's backoff.
 */
export type AnswerVerdict =
  { kind: "delivered" } | { kind: "refused" } | { kind: "retry-after"; after: number | Date } | { kind: "retry" };

export function judgeAnswer(status: number, retryAfter: string | null, accept: ReadonlySet<number>): AnswerVerdict {
  if ((status >= 200 && status < 300) || accept.has(status)) return { kind: "delivered" };
  if (status === 429 || status === 503) {
    const after = parseRetryAfter(retryAfter);
    if (after !== undefined) return { kind: "retry-after", after };
  }
  if ((status >= 300 && status < 400) || (status >= 400 && status < 500 && status !== 408 && status !== 429))
    return { kind: "refused" };
  return { kind: "retry" };
}

/** `Retry-After` as milliseconds to wait, or the Date to retry at; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null): number | Date | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An HTTP date starts with its day ("Wed, 21 Oct 2015 07:28:00 GMT", or an obsolete form);
  // Date.parse alone would also read "-1" as a year.
  if (!/^[A-Za-z]{3}/.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : new Date(at);
}
