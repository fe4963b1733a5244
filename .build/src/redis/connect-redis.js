import { StartupError } from "../errors.js";
import { createCommandClient, RECONNECT } from "./create-redis.js";
async function connectRedis(url) {
  const redis = createCommandClient(url, { lazyConnect: true, retryStrategy: () => null });
  let cause;
  const remember = (error) => cause = error;
  redis.on("error", remember);
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    throw new StartupError("redis_unreachable", describeFailure(url, cause ?? error), { cause: cause ?? error });
  } finally {
    redis.off("error", remember);
  }
  redis.options.retryStrategy = RECONNECT;
  return redis;
}
function redactUrl(url) {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable URL)";
  }
}
function describeFailure(url, error) {
  const where = `cannot connect to Redis at ${redactUrl(url)}`;
  const tls = url.startsWith("rediss:");
  const message = error.message ?? "";
  if (error.code === "ECONNREFUSED") return `${where} (ECONNREFUSED: nothing listens there): start Redis, or set REDIS_URL to where it runs`;
  if (error.code === "ENOTFOUND" || error.code === "EAI_AGAIN") return `${where} (${error.code}: the host name does not resolve): check the host in REDIS_URL`;
  if (/WRONGPASS|invalid password|invalid username-password/i.test(message)) return `${where} (authentication failed: WRONGPASS): check the user and password in REDIS_URL`;
  if (/NOAUTH/i.test(message)) return `${where} (authentication required: NOAUTH): put the password in REDIS_URL (redis://:password@host:6379)`;
  if (/SSL|TLS|EPROTO|certificate/i.test(`${error.code ?? ""} ${message}`)) {
    return `${where} (TLS: ${message}): use rediss:// only when the server speaks TLS, and check its certificate`;
  }
  if (error.code === "ETIMEDOUT") {
    const hint = tls ? "; with rediss:// a server that does not speak TLS never answers the handshake, use redis://" : "";
    return `${where} (ETIMEDOUT: no answer within 2 s): check the host, the port and firewalls${hint}`;
  }
  return `${where} (${error.code ?? error.name}: ${message}): check REDIS_URL and that Redis is running`;
}
export {
  connectRedis,
  redactUrl
};
