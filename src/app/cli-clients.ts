import type { Redis } from "ioredis";
import type { Config } from "../config/load-config.ts";
import { createPostgresPool, type Pool } from "../functions/postgres/create-pool.ts";
import type { Logger } from "../logger.ts";
import { connectRedis } from "../redis/connect-redis.ts";
import { DEFAULT_REDIS_URL } from "../redis/create-redis.ts";
import { createServices } from "./create-services.ts";

/**
 * The clients a command of the CLI asks for, each built from the configuration the command
 * compiled; the command closes what it asked for. Redis is REDIS_URL or the bridge's default:
 * a command-line tool never starts a private redis-server.
 */
export function cliClients(config: Config, logger: Logger) {
  const redisUrl = config.redisUrl ?? DEFAULT_REDIS_URL;
  return {
    /** A pool on DATABASE_URL (`bridge migrate`); end it with `pool.end()`. */
    database(databaseUrl: string): Pool {
      return createPostgresPool(databaseUrl, logger);
    },
    /** One command client on the bridge's Redis (`bridge rekey`); disconnect it when done. */
    redis(): Promise<Redis> {
      return connectRedis(redisUrl);
    },
    /** The services of the configured role (`bridge backfill --direct` asks as a receiver); `close()` ends them. */
    services() {
      return createServices(config, logger);
    },
  };
}
