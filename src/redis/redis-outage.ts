import { errorCodeOf } from "../util/thrown.ts";

/**
 * Whether an error means Redis could not be reached or could not take the command right now
 * (answer 503, the sender retries later), as opposed to a command that was wrong or data that
 * could not be serialised (a bug or a hostile input: 500, and retrying would fail the same way).
 * ioredis signals these with plain Errors, so they are told apart by name, code and message.
 */
export function isRedisOutage(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (OUTAGE_NAMES.has(error.name)) return true;
  const code = errorCodeOf(error);
  if (code !== undefined && NETWORK_CODES.has(code)) return true;
  if (
    CLIENT_MESSAGES.some((pattern) => pattern.test(error.message)) ||
    (error.name === "ReplyError" && SERVER_STATES.test(error.message))
  )
    return true;
  // A MULTI whose commands Redis refused (OOM, READONLY) fails as a whole with EXECABORT.
  return isExecAbortOf(error, isRedisOutage);
}

/**
 * Whether Redis refused a write for want of memory (`maxmemory` reached under `noeviction`):
 * `OOM command not allowed when used memory > 'maxmemory'`, as a command's reply, inside a
 * script's error, or behind a MULTI's EXECABORT.
 */
export function isOutOfMemory(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return /^OOM\b|\bOOM command not allowed\b/.test(error.message) || isExecAbortOf(error, isOutOfMemory);
}

function isExecAbortOf(error: Error, test: (error: unknown) => boolean): boolean {
  const previous = "previousErrors" in error ? error.previousErrors : undefined;
  return error.message.startsWith("EXECABORT") && Array.isArray(previous) && previous.some(test);
}

const OUTAGE_NAMES = new Set(["MaxRetriesPerRequestError", "ClusterAllFailedError"]);

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ECONNABORTED",
]);

/** ioredis's own messages for a connection that is down, closing, not ready or too slow. */
const CLIENT_MESSAGES = [
  /^Connection is closed\.?$/,
  /enableOfflineQueue options is false/,
  /^Command timed out$/,
  /^Socket timeout/,
  /^Cluster is disconnect/,
  /^None of startup nodes is available/,
  /^Node is disconnected/,
  /^No master node is available/,
  /^Too many Cluster redirections/,
  /^connect ETIMEDOUT/,
];

/** Server replies that mean "not now": loading after a restart, a failover, out of memory, a slow script. */
const SERVER_STATES = /^(LOADING|BUSY|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|READONLY|OOM|NOREPLICAS|MISCONF)\b/;
