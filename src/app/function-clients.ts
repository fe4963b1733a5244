import type { LoadedDestination } from "../destinations/check-destination.ts";
import { loadDestinations } from "../destinations/load-destinations.ts";
import { DESTINATIONS_ID, ONBOARDING_EMAIL_ID, USER_SYNC_ID } from "../config/built-in-ids.ts";
import { createOutboxMailer, type Mailer } from "../functions/mail/create-mailer.ts";
import { createPostgresPool, type Pool } from "../functions/postgres/create-pool.ts";
import { prepareUsersTable } from "../functions/postgres/migrate.ts";
import type { OutboundFetch } from "../outbound/outbound-fetch.ts";
import type { Services } from "./create-services.ts";

export interface FunctionClients {
  /** The users mirror (DATABASE_URL, or the embedded one), migrated; absent when user-sync is off. */
  database?: Pool;
  /** Where onboarding emails go; absent when onboarding-email is off. */
  mailer?: Mailer;
  /** The destinations in DESTINATIONS_DIR, on or off by their variables; absent when FUNCTIONS leaves them out. */
  destinations?: LoadedDestination[];
  /** What the destinations send with: fetch through the address policy (FETCH_ALLOW_PRIVATE). */
  outbound: OutboundFetch;
}

/**
 * The clients the built-in functions use, made only for the ones FUNCTIONS switches on: the
 * PostgreSQL pool (migrated before anything listens) and the mailer. Closed with the services.
 */
export async function createFunctionClients(services: Services): Promise<FunctionClients> {
  const { config, logger, closers } = services;
  const clients: FunctionClients = { outbound: services.outbound };
  if (config.functions.includes(USER_SYNC_ID)) clients.database = await openDatabase(services);
  if (config.functions.includes(ONBOARDING_EMAIL_ID)) {
    if (config.smtpUrl) {
      // nodemailer is imported only when there is an SMTP server to send to.
      const { createSmtpMailer } = await import("../functions/mail/smtp-mailer.ts");
      clients.mailer = createSmtpMailer({ smtpUrl: config.smtpUrl, from: config.smtpFrom });
    } else {
      logger.warn(
        "SMTP_URL is not set: onboarding emails go to the development outbox in Redis (GET /api/outbox), not to users",
      );
      clients.mailer = createOutboxMailer({
        redis: (services.engine ?? services).redis,
        key: services.keys.outbox,
        from: config.smtpFrom,
      });
    }
    const mailer = clients.mailer;
    closers.push("mailer", () => mailer.close());
  }
  if (config.functions.includes(DESTINATIONS_ID)) {
    clients.destinations = await loadDestinations(config.destinationsDir, config.environment, logger);
    const on = clients.destinations.filter((destination) => destination.on).map((destination) => destination.name);
    if (on.length > 0) logger.info({ destinations: on }, `destinations: ${on.length} on`);
    else logger.info("destinations: off (no destination in DESTINATIONS_DIR has its variables set)");
  }
  return clients;
}

/**
 * The users mirror: PostgreSQL at DATABASE_URL, or, when it is unset, an embedded PostgreSQL
 * (PGlite, in DATA_DIR/pglite) reached by the same `pg` code, so that `npm start` on a fresh
 * machine mirrors users too. Migrated before anything listens.
 */
async function openDatabase(services: Services): Promise<Pool> {
  const { config, logger, closers } = services;
  if (config.databaseUrl) {
    const pool = createPostgresPool(config.databaseUrl, logger);
    closers.push("postgres pool", () => pool.end());
    await prepareUsersTable(pool, logger, "DATABASE_URL");
    logger.info("database: the users table is ready at DATABASE_URL");
    return pool;
  }
  // PGlite (its WebAssembly PostgreSQL) is imported only here: a process with DATABASE_URL, or
  // without user-sync, never loads it.
  const { startEmbeddedPostgres } = await import("../functions/postgres/embedded-postgres.ts");
  const embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, logger });
  closers.push("embedded postgres", () => embedded.close());
  logger.warn(
    { dataDir: embedded.dataDir },
    `database: DATABASE_URL is not set, so user-sync mirrors Clerk users to an embedded PostgreSQL (PGlite) in ${embedded.dataDir}. ` +
      "It is for development: one bridge process, commits not fsynced. In production set DATABASE_URL=postgres://...",
  );
  // Pushed after the embedded server: closers run in reverse, so the pool ends first.
  const pool = createPostgresPool(embedded.url, logger, embedded.poolOptions);
  closers.push("postgres pool", () => pool.end());
  await prepareUsersTable(pool, logger, `the embedded PostgreSQL in ${embedded.dataDir}`);
  return pool;
}
