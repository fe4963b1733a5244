import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { parseCookie } from "cookie";
import type { Request, RequestHandler } from "express";
import { BridgeError } from "../errors.ts";

/** The dashboard's session cookie: an HMAC of the token, never the token itself. */
export const SESSION_COOKIE = "bridge_session";

export interface AdminAuth {
  /** True when ADMIN_TOKEN is set; unset, only loopback clients are served. */
  readonly enabled: boolean;
  /** True when the request may use the operator API (token, session, or loopback while unset). */
  isAuthorized(req: Request): boolean;
  /** True when `candidate` is the token (constant time). */
  matches(candidate: string): boolean;
  /** The Set-Cookie value that signs the browser in. */
  sessionCookie(secure: boolean): string;
  /** Answers 401 `unauthorized` (or 403 `loopback_only`) unless the request is authorized. */
  require: RequestHandler;
}

export const LOOPBACK_ONLY_MESSAGE =
  "ADMIN_TOKEN is not set, so the operator API and the dashboard answer only on this machine (loopback); set ADMIN_TOKEN to open them to the network";

/**
 * ADMIN_TOKEN guard for /api and the dashboard, which can replay and send events and show users'
 * emails. Without a token they are served to loopback clients only, so `npm start` with no
 * configuration is safe on a machine with a public address. Comparisons hash both sides first so
 * they are equal-length and constant-time: neither the token's content nor its length leaks.
 */
export function createAdminAuth(adminToken: string | undefined): AdminAuth {
  const tokenDigest = adminToken === undefined ? undefined : digest(adminToken);
  // Derived from the token, so rotating ADMIN_TOKEN signs every browser out.
  const session = adminToken === undefined ? "" : createHmac("sha256", adminToken).update("dashboard-session").digest("base64url");
  const sessionDigest = digest(session);

  const matches = (candidate: string) => tokenDigest !== undefined && timingSafeEqual(tokenDigest, digest(candidate));
  const isAuthorized = (req: Request) => {
    if (tokenDigest === undefined) return isLoopback(req);
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? "")?.[1]?.trim();
    if (bearer !== undefined) return matches(bearer);
    const cookie = readSessionCookie(req.headers.cookie);
    return cookie !== undefined && timingSafeEqual(sessionDigest, digest(cookie));
  };

  return {
    enabled: tokenDigest !== undefined,
    isAuthorized,
    matches,
    // SameSite=Strict keeps other sites from riding the session (the API also demands JSON bodies).
    sessionCookie: (secure) =>
      `${SESSION_COOKIE}=${session}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${30 * 24 * 3600}${secure ? "; Secure" : ""}`,
    require: (req, _res, next) => {
      if (isAuthorized(req)) return next();
      if (tokenDigest === undefined) return next(new BridgeError("loopback_only", LOOPBACK_ONLY_MESSAGE));
      next(new BridgeError("unauthorized", "this route needs the ADMIN_TOKEN as a Bearer token"));
    },
  };
}

/**
 * A client on this machine, by the socket's own address (never X-Forwarded-For, which anyone can
 * send). A request that went through a proxy is not local even when the proxy is: a reverse
 * proxy on the same host would otherwise open the dashboard to everyone behind it.
 */
export function isLoopback(req: Request): boolean {
  const address = req.socket.remoteAddress ?? "";
  const local = address === "::1" || /^(::ffff:)?127\./.test(address);
  const proxied = req.headers["x-forwarded-for"] !== undefined || req.headers.forwarded !== undefined || req.headers["x-real-ip"] !== undefined;
  return local && !proxied;
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}

/**
 * The session cookie's value, parsed by the `cookie` package: a malformed value (bad %-escapes)
 * comes back as it is, matches no session, and is answered 401 like any wrong cookie.
 */
function readSessionCookie(header: string | undefined): string | undefined {
  return header ? parseCookie(header)[SESSION_COOKIE] : undefined;
}
