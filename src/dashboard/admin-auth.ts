import { createHash, timingSafeEqual } from "node:crypto";
import { parseCookie, stringifySetCookie } from "cookie";
import type { Request, RequestHandler, Response } from "express";
import { BridgeError } from "../errors.ts";
import { clientAddress, isLoopback, refusedAsLocal } from "../http/client-address.ts";
import { tooManyFailures, type FailureLimiter } from "../http/failure-limiter.ts";
import { digest as shortDigest } from "../redis/keys.ts";
import { SESSION_MAX_AGE_MS, type SessionStore } from "./sessions.ts";

/** The dashboard's session cookie: a random session id, never the token. */
export const SESSION_COOKIE = "bridge_session";

export interface AdminAuth {
  /** True when ADMIN_TOKEN is set; unset, only loopback clients are served. */
  readonly enabled: boolean;
  /**
   * Who is asking: `token:<digest>`, `session:<digest>`, `loopback`, or undefined when nobody
   * authorized. A wrong Bearer token counts against the address, and a blocked address gets 429.
   */
  identify(req: Request): Promise<string | undefined>;
  /** Checks a token typed into the sign-in form; answers the new session's cookie and operator id. */
  signIn(req: Request, token: string): Promise<{ cookie: string; operator: string }>;
  /** Revokes the request's session, if any; answers the cookie that clears it in the browser. */
  signOut(req: Request): Promise<{ cookie: string; operator?: string }>;
  /** Answers 401 `unauthorized` (or 403 `loopback_only`) unless authorized; sets `res.locals.operator`. */
  require: RequestHandler;
}

export interface AdminAuthDeps {
  adminToken: string | undefined;
  /** Required when adminToken is set. */
  sessions?: SessionStore;
  /** Counts wrong tokens per client address; absent, nothing is rate limited. */
  limiter?: FailureLimiter;
}

export const LOOPBACK_ONLY_MESSAGE =
  "ADMIN_TOKEN is not set, so the operator API and the dashboard answer only on this machine (loopback); set ADMIN_TOKEN to open them to the network";

/**
 * ADMIN_TOKEN guard for /api and the dashboard, which can replay and send events and show users'
 * emails. Without a token they are served to loopback clients only, so `npm start` with no
 * configuration is safe on a machine with a public address. Token comparisons hash both sides
 * first so they are equal-length and constant-time: neither the token's content nor its length
 * leaks. Browsers hold a session (sessions.ts), never the token.
 */
export function createAdminAuth(deps: AdminAuthDeps): AdminAuth {
  const { adminToken, sessions, limiter } = deps;
  if (adminToken !== undefined && !sessions) throw new Error("createAdminAuth: ADMIN_TOKEN needs a session store");
  const tokenDigest = adminToken === undefined ? undefined : digest(adminToken);
  // Names the token in the audit log without revealing it (a short digest, not the secret).
  const tokenOperator = adminToken === undefined ? "" : `token:${shortDigest(`operator\n${adminToken}`).slice(0, 8)}`;
  const matches = (candidate: string) => tokenDigest !== undefined && timingSafeEqual(tokenDigest, digest(candidate));

  /** A token from a client: refused while its address is blocked, counted when wrong. */
  async function checkToken(req: Request, candidate: string): Promise<boolean> {
    const address = clientAddress(req);
    const blocked = (await limiter?.blockedFor(address)) ?? 0;
    if (blocked > 0) throw tooManyFailures(blocked);
    if (matches(candidate)) return true;
    const nowBlocked = (await limiter?.recordFailure(address)) ?? 0;
    if (nowBlocked > 0) throw tooManyFailures(nowBlocked);
    return false;
  }

  async function identify(req: Request): Promise<string | undefined> {
    if (tokenDigest === undefined) return isLoopback(req) ? "loopback" : undefined;
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? "")?.[1]?.trim();
    if (bearer !== undefined) return (await checkToken(req, bearer)) ? tokenOperator : undefined;
    // A session id is 256 random bits: guessing one is hopeless, so a stale cookie is not counted.
    const sessionId = readSessionCookie(req.headers.cookie);
    return sessionId === undefined ? undefined : (await sessions!.resolve(sessionId))?.operator;
  }

  return {
    enabled: tokenDigest !== undefined,
    identify,
    async signIn(req, token) {
      if (!(await checkToken(req, token))) throw new BridgeError("unauthorized", "that token is not the ADMIN_TOKEN");
      const { id, session } = await sessions!.create();
      return { cookie: sessionCookie(id, isSecure(req), SESSION_MAX_AGE_MS / 1000), operator: session.operator };
    },
    async signOut(req) {
      const sessionId = readSessionCookie(req.headers.cookie);
      const session = sessionId === undefined || !sessions ? undefined : await sessions.resolve(sessionId);
      if (sessionId !== undefined) await sessions?.revoke(sessionId);
      return { cookie: sessionCookie("", isSecure(req), 0), operator: session?.operator };
    },
    require: async (req, res: Response, next) => {
      const operator = await identify(req);
      if (operator !== undefined) {
        res.locals.operator = operator;
        return next();
      }
      if (tokenDigest === undefined) {
        const reason = refusedAsLocal(req);
        return next(
          new BridgeError("loopback_only", reason ? `${LOOPBACK_ONLY_MESSAGE}: ${reason}` : LOOPBACK_ONLY_MESSAGE),
        );
      }
      next(new BridgeError("unauthorized", "this route needs the ADMIN_TOKEN as a Bearer token"));
    },
  };
}

/**
 * HttpOnly (no script reads it), SameSite=Strict (no other site's request carries it), Secure when
 * the browser came over TLS: said by the connection, by a proxy TRUST_PROXY trusts, or by the
 * page's own https Origin when a TLS proxy in front is not configured as trusted.
 */
function sessionCookie(value: string, secure: boolean, maxAgeSeconds: number): string {
  return stringifySetCookie({
    name: SESSION_COOKIE,
    value,
    path: "/",
    httpOnly: true,
    sameSite: "strict",
    secure,
    maxAge: maxAgeSeconds,
  });
}

function isSecure(req: Request): boolean {
  return req.secure || (req.headers.origin ?? "").startsWith("https://");
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
