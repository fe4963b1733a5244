import { createClerkClient } from "@clerk/backend";
import type { BackfillResource, ClerkPage } from "./backfill-resources.ts";
import { BackfillError } from "./backfill-error.ts";
import { withRetries, type FailureKind, type RetryPolicy } from "./with-retries.ts";
import { fieldsOf } from "../util/json-object.ts";
import { messageOf } from "../util/thrown.ts";

export interface ClerkPagesOptions {
  secretKey: string;
  /** CLERK_API_URL; unset, the client's own default (https://api.clerk.com). */
  apiUrl?: string;
  retry: RetryPolicy;
}

/** Reads one page of a resource at an offset, honouring Clerk's rate limits. */
export type ReadPage = (page: { offset: number; limit: number }) => Promise<ClerkPage>;

/**
 * Pages of `resource` from Clerk's Backend API through the official client. The client makes
 * one request per call and never retries: on a 429 it throws a ClerkAPIResponseError whose
 * `retryAfter` holds the Retry-After header in seconds, so the wait happens here.
 */
export function createClerkPages(resource: BackfillResource, options: ClerkPagesOptions): ReadPage {
  // No telemetry: a command-line backfill should talk to the Backend API and nothing else.
  const clerk = createClerkClient({
    secretKey: options.secretKey,
    apiUrl: options.apiUrl,
    telemetry: { disabled: true },
  });
  const where = options.apiUrl ?? "https://api.clerk.com";
  return (page) =>
    withRetries(
      () => resource.listPage(clerk, page),
      (error) => classifyClerkError(error, where),
      options.retry,
    );
}

/** A 5xx or a network failure is retried; a refused key or a bad request is not. */
export function classifyClerkError(error: unknown, where: string): FailureKind {
  // By shape as well as class: the client and its shared errors come from two packages.
  const { status: reported, retryAfter, errors } = fieldsOf(error);
  const status = typeof reported === "number" ? reported : undefined;
  const first = fieldsOf(Array.isArray(errors) ? errors[0] : undefined);
  const detail = first.longMessage ?? first.message ?? messageOf(error);
  if (status === 429) {
    // Without Retry-After, Clerk's rate limit window is 10 seconds.
    const seconds = typeof retryAfter === "number" && retryAfter >= 0 ? retryAfter : 10;
    return { kind: "wait", ms: seconds * 1000, reason: "rate limited by Clerk (429)" };
  }
  if (status === undefined || status >= 500 || status === 408) {
    return {
      kind: "backoff",
      reason:
        status === undefined ? `cannot reach Clerk at ${where} (${detail})` : `Clerk answered ${status} (${detail})`,
    };
  }
  if (status === 401 || status === 403) {
    return {
      kind: "fail",
      error: new BackfillError(
        `Clerk refused CLERK_SECRET_KEY (${status}: ${detail}); use the secret key (sk_live_... or sk_test_...) of the instance to backfill`,
      ),
    };
  }
  return { kind: "fail", error: new BackfillError(`Clerk answered ${status}: ${detail}`) };
}
