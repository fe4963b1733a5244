class UsageError extends Error {
  name = "UsageError";
}
const DEFAULT_BRIDGE_URL = "http://localhost:8288";
function bridgeUrl(env) {
  const url = env.BRIDGE_URL || DEFAULT_BRIDGE_URL;
  if (!/^https?:\/\//i.test(url) || !URL.canParse(url)) {
    const fix = /^[a-z][a-z\d+.-]*:\/\//i.test(url) ? "" : `; did you mean BRIDGE_URL=http://${url}?`;
    throw new UsageError(`BRIDGE_URL must be an http:// or https:// URL, got "${url}"${fix}`);
  }
  return url.replace(/\/+$/, "");
}
export {
  DEFAULT_BRIDGE_URL,
  UsageError,
  bridgeUrl
};
