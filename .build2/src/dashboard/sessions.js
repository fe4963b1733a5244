import { createHmac, randomBytes } from "node:crypto";
import { digest } from "../redis/keys.js";
/** A session ends after this long without a request... */
export const SESSION_IDLE_MS = 7 * 24 * 60 * 60 * 1000;
/** ...and after this long in any case (the cookie's Max-Age). */
export const SESSION_MAX_AGE_MS = 30 * 24 * 60 * 60 * 1000;
/**
 * Dashboard sessions in Redis: 32 random bytes per sign-in, stored under a digest (someone who can
 * read Redis cannot sign in with what they read), expiring after SESSION_IDLE_MS without use and
 * SESSION_MAX_AGE_MS after sign-in, revoked one by one at sign-out.
 */
export function createSessionStore(deps) {
    const { redis, keys } = deps;
    const generation = createHmac("sha256", deps.adminToken).update("dashboard-session-generation").digest("base64url").slice(0, 16);
    const idleSeconds = Math.ceil(SESSION_IDLE_MS / 1000);
    const operatorOf = (id) => `session:${digest(`operator\n${id}`).slice(0, 12)}`;
    return {
        async create() {
            const id = randomBytes(32).toString("base64url");
            const stored = { createdAt: Date.now(), generation };
            await redis.set(keys.session(id), JSON.stringify(stored), "EX", idleSeconds);
            return { id, session: { operator: operatorOf(id), createdAt: stored.createdAt } };
        },
        async resolve(id) {
            if (!/^[A-Za-z0-9_-]{43}$/.test(id))
                return undefined;
            // One round trip: read the session and push its idle expiry back.
            const text = await redis.getex(keys.session(id), "EX", idleSeconds);
            const stored = text ? JSON.parse(text) : undefined;
            if (!stored || stored.generation !== generation || Date.now() - stored.createdAt > SESSION_MAX_AGE_MS) {
                if (stored)
                    await redis.del(keys.session(id));
                return undefined;
            }
            return { operator: operatorOf(id), createdAt: stored.createdAt };
        },
        async revoke(id) {
            await redis.del(keys.session(id));
        },
    };
}
