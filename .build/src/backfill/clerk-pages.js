import { createClerkClient } from "@clerk/backend";
import { BackfillError } from "./backfill-error.js";
import { withRetries } from "./with-retries.js";
function createClerkPages(resource, options) {
  const clerk = createClerkClient({ secretKey: options.secretKey, apiUrl: options.apiUrl, telemetry: { disabled: true } });
  const where = options.apiUrl ?? "https://api.clerk.com";
  return (page) => withRetries(() => resource.listPage(clerk, page), (error) => classifyClerkError(error, where), options.retry);
}
function classifyClerkError(error, where) {
  const { status, retryAfter, errors } = error;
  const detail = errors?.[0]?.longMessage ?? errors?.[0]?.message ?? error.message;
  if (status === 429) {
    const seconds = typeof retryAfter === "number" && retryAfter >= 0 ? retryAfter : 10;
    return { kind: "wait", ms: seconds * 1e3, reason: "rate limited by Clerk (429)" };
  }
  if (status === void 0 || status >= 500 || status === 408) {
    return { kind: "backoff", reason: status === void 0 ? `cannot reach Clerk at ${where} (${detail})` : `Clerk answered ${status} (${detail})` };
  }
  if (status === 401 || status === 403) {
    return { kind: "fail", error: new BackfillError(`Clerk refused CLERK_SECRET_KEY (${status}: ${detail}); use the secret key (sk_live_... or sk_test_...) of the instance to backfill`) };
  }
  return { kind: "fail", error: new BackfillError(`Clerk answered ${status}: ${detail}`) };
}
export {
  classifyClerkError,
  createClerkPages
};
