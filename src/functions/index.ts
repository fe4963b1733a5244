import type { Redis } from "ioredis";
import { ConfigError, type Config } from "../config.ts";
import type { BridgeFunction } from "../engine/index.ts";
import type { Logger } from "../logger.ts";
import { loadOperatorFunctions } from "./load-operator-functions.ts";
import { createOutboxMailer, createSmtpMailer, type Mailer } from "./mail/create-mailer.ts";
import { createOnboardingEmail, ONBOARDING_EMAIL_ID } from "./onboarding-email.ts";
import { createPostgresPool } from "./postgres/create-pool.ts";
import { runMigrations } from "./postgres/migrate.ts";
import { createUserSync, USER_SYNC_ID } from "./user-sync.ts";

export { FunctionLoadError } from "./load-operator-functions.ts";
export { listOutbox, type OutboxEntry } from "./mail/dev-outbox.ts";

export const BUILT_IN_FUNCTIONS = [USER_SYNC_ID, ONBOARDING_EMAIL_ID] as const;

export interface LoadedFunctions {
  functions: BridgeFunction[];
  close(): Promise<void>;
}

export interface FunctionDeps {
  config: Config;
  logger: Logger;
  redis: Redis;
}

/**
 * The explicit registry: builds the built-in functions switched on by FUNCTIONS (`none` for
 * none) plus the operator's own from FUNCTIONS_DIR, with the clients they need, and runs the
 * database migrations. Called once by the composition root; `close()` ends those clients.
 */
export async function loadFunctions(deps: FunctionDeps): Promise<LoadedFunctions> {
  const { config } = deps;
  const logger = deps.logger.child({ component: "functions" });
  const wanted = config.functions.filter((name) => name !== "none");
  const unknown = wanted.filter((name) => !(BUILT_IN_FUNCTIONS as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new ConfigError(`invalid configuration:\n  FUNCTIONS: unknown function ${unknown.join(", ")} (built-in: ${BUILT_IN_FUNCTIONS.join(", ")}, or none)`);
  }

  const closers: Array<() => Promise<void>> = [];
  const close = async () => {
    // splice: a second close() finds nothing left to end.
    for (const closer of closers.splice(0).reverse()) await closer().catch((error) => logger.warn({ err: error }, "error while closing"));
  };
  try {
    const functions: BridgeFunction[] = [];
    if (wanted.includes(USER_SYNC_ID)) {
      const userSync = await startUserSync(config, logger, closers);
      if (userSync) functions.push(userSync);
    }
    if (wanted.includes(ONBOARDING_EMAIL_ID)) {
      const mailer = createMailer(deps, logger);
      closers.push(() => mailer.close());
      functions.push(createOnboardingEmail({ mailer, delayMs: config.onboardingDelayMs, from: config.smtpFrom }));
    }
    functions.push(...(await loadOperatorFunctions(config.functionsDir, logger)));
    return { functions, close };
  } catch (error) {
    await close();
    throw error;
  }
}

async function startUserSync(config: Config, logger: Logger, closers: Array<() => Promise<void>>): Promise<BridgeFunction | null> {
  if (!config.databaseUrl) {
    logger.warn("DATABASE_URL is not set: user-sync is off, Clerk users are not mirrored to PostgreSQL (set DATABASE_URL=postgres://... to switch it on)");
    return null;
  }
  const pool = createPostgresPool(config.databaseUrl, logger);
  closers.push(() => pool.end());
  try {
    await runMigrations(pool, logger);
  } catch (error) {
    throw new ConfigError(`cannot prepare the users table at DATABASE_URL: ${(error as Error).message}`, { cause: error });
  }
  return createUserSync({ pool });
}

function createMailer(deps: FunctionDeps, logger: Logger): Mailer {
  const { config } = deps;
  if (config.smtpUrl) return createSmtpMailer({ smtpUrl: config.smtpUrl, from: config.smtpFrom });
  logger.warn("SMTP_URL is not set: onboarding emails go to the development outbox in Redis (GET /api/outbox), not to users");
  return createOutboxMailer({ redis: deps.redis, prefix: config.redisPrefix, from: config.smtpFrom });
}
