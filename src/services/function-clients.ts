import { ONBOARDING_EMAIL_ID, USER_SYNC_ID } from "../functions/built-in-ids.ts";
import { createOutboxMailer, createSmtpMailer, type Mailer } from "../functions/mail/create-mailer.ts";
import { createPostgresPool, type Pool } from "../functions/postgres/create-pool.ts";
import { prepareUsersTable } from "../functions/postgres/migrate.ts";
import type { Services } from "./create-services.ts";

export interface FunctionClients {
  /** The users mirror, migrated; absent when user-sync is off. */
  database?: Pool;
  /** Where onboarding emails go; absent when onboarding-email is off. */
  mailer?: Mailer;
}

/**
 * The clients the built-in functions use, made only for the ones FUNCTIONS switches on: the
 * PostgreSQL pool (migrated before anything listens) and the mailer. Closed with the services.
 */
export async function createFunctionClients(services: Services): Promise<FunctionClients> {
  const { config, logger, closers } = services;
  const clients: FunctionClients = {};
  if (config.functions.includes(USER_SYNC_ID)) clients.database = await openDatabase(services);
  if (config.functions.includes(ONBOARDING_EMAIL_ID)) {
    if (config.smtpUrl) {
      clients.mailer = createSmtpMailer({ smtpUrl: config.smtpUrl, from: config.smtpFrom });
    } else {
      logger.warn("SMTP_URL is not set: onboarding emails go to the development outbox in Redis (GET /api/outbox), not to users");
      clients.mailer = createOutboxMailer({ redis: (services.engine ?? services).redis, key: services.keys.outbox, from: config.smtpFrom });
    }
    const mailer = clients.mailer;
    closers.push("mailer", () => mailer.close());
  }
  return clients;
}

async function openDatabase(services: Services): Promise<Pool | undefined> {
  const { config, logger, closers } = services;
  if (!config.databaseUrl) {
    logger.warn("DATABASE_URL is not set: user-sync is off, Clerk users are not mirrored to PostgreSQL (set DATABASE_URL=postgres://... to switch it on)");
    return undefined;
  }
  const pool = createPostgresPool(config.databaseUrl, logger);
  closers.push("postgres pool", () => pool.end());
  await prepareUsersTable(pool, logger, "DATABASE_URL");
  logger.info("database: the users table is ready at DATABASE_URL");
  return pool;
}
