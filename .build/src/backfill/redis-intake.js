import { loadConfig } from "../config.js";
import { isBridgeError } from "../errors.js";
import { acceptEvents } from "../events/accept-events.js";
import { createLogger } from "../logger.js";
import { DEFAULT_REDIS_URL } from "../redis/create-redis.js";
import { createServices } from "../services/create-services.js";
import { withRetries } from "./with-retries.js";
const BACKFILL_SOURCE = "backfill";
async function createRedisIntake(env, options) {
  const config = loadConfig({ ...env, ROLE: "receiver", REDIS_URL: env.REDIS_URL || DEFAULT_REDIS_URL });
  const logger = createLogger(env.LOG_LEVEL ? config.logLevel : "warn", options.log);
  const services = await createServices(config, logger);
  return {
    target: `Redis (prefix ${config.redisPrefix})`,
    async check() {
    },
    async send(events) {
      for (let index = 0; index < events.length; index += 100) {
        const batch = events.slice(index, index + 100);
        await withRetries(() => acceptEvents(services.accept, batch, BACKFILL_SOURCE), classifyRedisError, options.retry);
      }
    },
    close: () => services.close()
  };
}
function classifyRedisError(error) {
  if (isBridgeError(error) && error.code === "redis_unavailable") return { kind: "backoff", reason: "Redis is unavailable" };
  return { kind: "fail", error };
}
export {
  BACKFILL_SOURCE,
  createRedisIntake
};
