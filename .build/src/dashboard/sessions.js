import { createHmac, randomBytes } from "node:crypto";
import { digest } from "../redis/keys.js";
const SESSION_IDLE_MS = 7 * 24 * 60 * 60 * 1e3;
const SESSION_MAX_AGE_MS = 30 * 24 * 60 * 60 * 1e3;
function createSessionStore(deps) {
  const { redis, keys } = deps;
  const generation = createHmac("sha256", deps.adminToken).update("dashboard-session-generation").digest("base64url").slice(0, 16);
  const idleSeconds = Math.ceil(SESSION_IDLE_MS / 1e3);
  const operatorOf = (id) => `session:${digest(`operator
${id}`).slice(0, 12)}`;
  return {
    async create() {
      const id = randomBytes(32).toString("base64url");
      const stored = { createdAt: Date.now(), generation };
      await redis.set(keys.session(id), JSON.stringify(stored), "EX", idleSeconds);
      return { id, session: { operator: operatorOf(id), createdAt: stored.createdAt } };
    },
    async resolve(id) {
      if (!/^[A-Za-z0-9_-]{43}$/.test(id)) return void 0;
      const text = await redis.getex(keys.session(id), "EX", idleSeconds);
      const stored = text ? JSON.parse(text) : void 0;
      if (!stored || stored.generation !== generation || Date.now() - stored.createdAt > SESSION_MAX_AGE_MS) {
        if (stored) await redis.del(keys.session(id));
        return void 0;
      }
      return { operator: operatorOf(id), createdAt: stored.createdAt };
    },
    async revoke(id) {
      await redis.del(keys.session(id));
    }
  };
}
export {
  SESSION_IDLE_MS,
  SESSION_MAX_AGE_MS,
  createSessionStore
};
