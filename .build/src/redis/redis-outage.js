function isRedisOutage(error) {
  if (!(error instanceof Error)) return false;
  if (OUTAGE_NAMES.has(error.name)) return true;
  const code = error.code;
  if (typeof code === "string" && NETWORK_CODES.has(code)) return true;
  return CLIENT_MESSAGES.some((pattern) => pattern.test(error.message)) || error.name === "ReplyError" && SERVER_STATES.test(error.message);
}
const OUTAGE_NAMES = /* @__PURE__ */ new Set(["MaxRetriesPerRequestError", "ClusterAllFailedError"]);
const NETWORK_CODES = /* @__PURE__ */ new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "ECONNABORTED"]);
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
  /^connect ETIMEDOUT/
];
const SERVER_STATES = /^(LOADING|BUSY|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|READONLY|OOM|NOREPLICAS|MISCONF)\b/;
export {
  isRedisOutage
};
