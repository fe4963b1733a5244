import { createHmac, randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import { digest, type BridgeKeys } from "../redis/keys.ts";

/** A session ends after this long without a request... */
export const SESSION_IDLE_MS = 7 * 24 * 60 * 60 * 1000;
/** ...and after this long in any case (the cookie's Max-Age). */
export const SESSION_MAX_AGE_MS = 30 * 24 * 60 * 60 * 1000;

export interface Session {
  /** Who signed in, for the audit log: a digest of the session id, never the id. */
  operator: string;
  createdAt: number;
}

export interface SessionStore {
  /** A new session: its id goes into the cookie, and only a digest of it into Redis. */
  create(): Promise<{ id: string; session: Session }>;
  /** The live session behind a cookie value, renewing its idle expiry; undefined when there is none. */
  resolve(id: string): Promise<Session | undefined>;
  /** Ends the session behind a cookie value (sign out). */
  revoke(id: string): Promise<void>;
}

interface StoredSession {
  createdAt: number;
  /** Which ADMIN_TOKEN signed it in (a digest): a session counts only under that token. */
  generation: string;
}

/**
 * Dashboard sessions in Redis: 32 random bytes per sign-in, stored under a digest (someone who can
 * read Redis cannot sign in with what they read), expiring after SESSION_IDLE_MS without use and
 * SESSION_MAX_AGE_MS after sign-in, revoked one by one at sign-out.
 */
export function createSessionStore(deps: { redis: Redis; keys: BridgeKeys; adminToken: string }): SessionStore {
  const { redis, keys } = deps;
  const generation = createHmac("sha256", deps.adminToken)
    .update("dashboard-session-generation")
    .digest("base64url")
    .slice(0, 16);
  const idleSeconds = Math.ceil(SESSION_IDLE_MS / 1000);
  const operatorOf = (id: string) => `session:${digest(`operator\n${id}`).slice(0, 12)}`;

  return {
    async create() {
      const id = randomBytes(32).toString("base64url");
      const stored: StoredSession = { createdAt: Date.now(), generation };
      await redis.set(keys.session(id), JSON.stringify(stored), "EX", idleSeconds);
      return { id, session: { operator: operatorOf(id), createdAt: stored.createdAt } };
    },
    async resolve(id) {
      if (!/^[A-Za-z0-9_-]{43}$/.test(id)) return undefined;
      // One round trip: read the session and push its idle expiry back.
      const text = await redis.getex(keys.session(id), "EX", idleSeconds);
      const stored = text ? (JSON.parse(text) as StoredSession) : undefined;
      // Another ADMIN_TOKEN's session (a second bridge on this Redis, or before a rotation) is
      // not this bridge's to end: shown here it is only refused (issue 19). It expires on its own.
      if (!stored || stored.generation !== generation) return undefined;
      if (Date.now() - stored.createdAt > SESSION_MAX_AGE_MS) {
        await redis.del(keys.session(id));
        return undefined;
      }
      return { operator: operatorOf(id), createdAt: stored.createdAt };
    },
    async revoke(id) {
      if (!/^[A-Za-z0-9_-]{43}$/.test(id)) return;
      const text = await redis.get(keys.session(id));
      if (text && (JSON.parse(text) as StoredSession).generation === generation) await redis.del(keys.session(id));
    },
  };
}
