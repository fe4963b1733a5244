import type { Redis } from "ioredis";
import { StartupError, toError } from "../errors.ts";
import { createCommandClient, RECONNECT } from "./create-redis.ts";

/**
 * Connects the command client at start, once, and turns a failure into one `redis_unreachable`
 * line naming the URL (password hidden), the cause and the fix. ioredis rejects `connect()` with
 * a bare "Connection is closed." and reports the cause on its `error` event, so that event is
 * read here. Reconnecting is switched on only once the first connection stands, so a wrong URL
 * fails the start at once instead of retrying forever.
 */
export async function connectRedis(url: string): Promise<Redis> {
  const redis = createCommandClient(url, { lazyConnect: true, retryStrategy: () => null });
  let cause: (Error & { code?: string }) | undefined;
  const remember = (error: Error) => (cause = error);
  redis.on("error", remember);
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    throw new StartupError("redis_unreachable", describeFailure(url, cause ?? toError(error)), {
      cause: cause ?? error,
    });
  } finally {
    redis.off("error", remember);
  }
  redis.options.retryStrategy = RECONNECT;
  return redis;
}

/** A URL fit for a log line: the password is replaced. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable URL)";
  }
}

function describeFailure(url: string, error: Error & { code?: string }): string {
  const where = `cannot connect to Redis at ${redactUrl(url)}`;
  const tls = url.startsWith("rediss:");
  const message = error.message ?? "";
  if (error.code === "ECONNREFUSED")
    return `${where} (ECONNREFUSED: nothing listens there): start Redis, or set REDIS_URL to where it runs`;
  if (error.code === "ENOTFOUND" || error.code === "EAI_AGAIN")
    return `${where} (${error.code}: the host name does not resolve): check the host in REDIS_URL`;
  if (/WRONGPASS|invalid password|invalid username-password/i.test(message))
    return `${where} (authentication failed: WRONGPASS): check the user and password in REDIS_URL`;
  if (/NOAUTH/i.test(message))
    return `${where} (authentication required: NOAUTH): put the password in REDIS_URL (redis://:password@host:6379)`;
  if (/SSL|TLS|EPROTO|certificate/i.test(`${error.code ?? ""} ${message}`)) {
    return `${where} (TLS: ${message}): use rediss:// only when the server speaks TLS, and check its certificate`;
  }
  if (error.code === "ETIMEDOUT") {
    const hint = tls
      ? "; with rediss:// a server that does not speak TLS never answers the handshake, use redis://"
      : "";
    return `${where} (ETIMEDOUT: no answer within 2 s): check the host, the port and firewalls${hint}`;
  }
  return `${where} (${error.code ?? error.name}: ${message}): check REDIS_URL and that Redis is running`;
}
