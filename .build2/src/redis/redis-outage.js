/**
 * Whether an error means Redis could not be reached or could not take the command right now
 * (answer 503, the sender retries later), as opposed to a command that was wrong or data that
 * could not be serialised (a bug or a hostile input: 500, and retrying would fail the same way).
 * ioredis signals these with plain Errors, so they are told apart by name, code and message.
 */
export function isRedisOutage(error) {
    if (!(error instanceof Error))
        return false;
    if (OUTAGE_NAMES.has(error.name))
        return true;
    const code = error.code;
    if (typeof code === "string" && NETWORK_CODES.has(code))
        return true;
    return CLIENT_MESSAGES.some((pattern) => pattern.test(error.message)) || (error.name === "ReplyError" && SERVER_STATES.test(error.message));
}
const OUTAGE_NAMES = new Set(["MaxRetriesPerRequestError", "ClusterAllFailedError"]);
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "ECONNABORTED"]);
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
