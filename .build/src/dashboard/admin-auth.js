import { createHash, timingSafeEqual } from "node:crypto";
import { parseCookie, stringifySetCookie } from "cookie";
import { BridgeError } from "../errors.js";
import { clientAddress, isLoopback } from "../http/client-address.js";
import { tooManyFailures } from "../http/failure-limiter.js";
import { digest as shortDigest } from "../redis/keys.js";
import { SESSION_MAX_AGE_MS } from "./sessions.js";
const SESSION_COOKIE = "bridge_session";
const LOOPBACK_ONLY_MESSAGE = "ADMIN_TOKEN is not set, so the operator API and the dashboard answer only on this machine (loopback); set ADMIN_TOKEN to open them to the network";
function createAdminAuth(deps) {
  const { adminToken, sessions, limiter } = deps;
  if (adminToken !== void 0 && !sessions) throw new Error("createAdminAuth: ADMIN_TOKEN needs a session store");
  const tokenDigest = adminToken === void 0 ? void 0 : digest(adminToken);
  const tokenOperator = adminToken === void 0 ? "" : `token:${shortDigest(`operator
${adminToken}`).slice(0, 8)}`;
  const matches = (candidate) => tokenDigest !== void 0 && timingSafeEqual(tokenDigest, digest(candidate));
  async function checkToken(req, candidate) {
    const address = clientAddress(req);
    const blocked = await limiter?.blockedFor(address) ?? 0;
    if (blocked > 0) throw tooManyFailures(blocked);
    if (matches(candidate)) return true;
    const nowBlocked = await limiter?.recordFailure(address) ?? 0;
    if (nowBlocked > 0) throw tooManyFailures(nowBlocked);
    return false;
  }
  async function identify(req) {
    if (tokenDigest === void 0) return isLoopback(req) ? "loopback" : void 0;
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? "")?.[1]?.trim();
    if (bearer !== void 0) return await checkToken(req, bearer) ? tokenOperator : void 0;
    const sessionId = readSessionCookie(req.headers.cookie);
    return sessionId === void 0 ? void 0 : (await sessions.resolve(sessionId))?.operator;
  }
  return {
    enabled: tokenDigest !== void 0,
    identify,
    async signIn(req, token) {
      if (!await checkToken(req, token)) throw new BridgeError("unauthorized", "that token is not the ADMIN_TOKEN");
      const { id, session } = await sessions.create();
      return { cookie: sessionCookie(id, isSecure(req), SESSION_MAX_AGE_MS / 1e3), operator: session.operator };
    },
    async signOut(req) {
      const sessionId = readSessionCookie(req.headers.cookie);
      const session = sessionId === void 0 || !sessions ? void 0 : await sessions.resolve(sessionId);
      if (sessionId !== void 0) await sessions?.revoke(sessionId);
      return { cookie: sessionCookie("", isSecure(req), 0), operator: session?.operator };
    },
    require: async (req, res, next) => {
      const operator = await identify(req);
      if (operator !== void 0) {
        res.locals.operator = operator;
        return next();
      }
      if (tokenDigest === void 0) return next(new BridgeError("loopback_only", LOOPBACK_ONLY_MESSAGE));
      next(new BridgeError("unauthorized", "this route needs the ADMIN_TOKEN as a Bearer token"));
    }
  };
}
function sessionCookie(value, secure, maxAgeSeconds) {
  return stringifySetCookie({ name: SESSION_COOKIE, value, path: "/", httpOnly: true, sameSite: "strict", secure, maxAge: maxAgeSeconds });
}
function isSecure(req) {
  return req.secure || (req.headers.origin ?? "").startsWith("https://");
}
function digest(value) {
  return createHash("sha256").update(value).digest();
}
function readSessionCookie(header) {
  return header ? parseCookie(header)[SESSION_COOKIE] : void 0;
}
export {
  LOOPBACK_ONLY_MESSAGE,
  SESSION_COOKIE,
  createAdminAuth
};
