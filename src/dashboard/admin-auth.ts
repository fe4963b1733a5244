import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { Request, RequestHandler } from "express";
import { BridgeError } from "../errors.ts";

/** The dashboard's session cookie: an HMAC of the token, never the token itself. */
export const SESSION_COOKIE = "bridge_session";

export interface AdminAuth {
  /** False when ADMIN_TOKEN is unset: everything is open (development). */
  readonly enabled: boolean;
  /** True when the request carries the token as a Bearer header or a valid session cookie. */
  isAuthorized(req: Request): boolean;
  /** True when `candidate` is the token (constant time). */
  matches(candidate: string): boolean;
  /** The Set-Cookie value that signs the browser in. */
  sessionCookie(secure: boolean): string;
  /** Answers 401 `unauthorized` unless the request is authorized. */
  require: RequestHandler;
}

/**
 * ADMIN_TOKEN guard for /api and the dashboard. Comparisons hash both sides first so they are
 * equal-length and constant-time: neither the token's content nor its length leaks.
 */
export function createAdminAuth(adminToken: string | undefined): AdminAuth {
  const tokenDigest = adminToken === undefined ? undefined : digest(adminToken);
  // Derived from the token, so rotating ADMIN_TOKEN signs every browser out.
  const session = adminToken === undefined ? "" : createHmac("sha256", adminToken).update("dashboard-session").digest("base64url");
  const sessionDigest = digest(session);

  const matches = (candidate: string) => tokenDigest !== undefined && timingSafeEqual(tokenDigest, digest(candidate));
  const isAuthorized = (req: Request) => {
    if (tokenDigest === undefined) return true;
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? "")?.[1]?.trim();
    if (bearer !== undefined) return matches(bearer);
    const cookie = readCookie(req.headers.cookie, SESSION_COOKIE);
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
      next(new BridgeError("unauthorized", "this route needs the ADMIN_TOKEN as a Bearer token"));
    },
  };
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const index = part.indexOf("=");
    if (index > 0 && part.slice(0, index).trim() === name) return decodeURIComponent(part.slice(index + 1).trim());
  }
  return undefined;
}
