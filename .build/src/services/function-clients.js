import { loadDestinations } from "../destinations/load-destinations.js";
import { DESTINATIONS_ID, ONBOARDING_EMAIL_ID, USER_SYNC_ID } from "../functions/built-in-ids.js";
import { createOutboxMailer, createSmtpMailer } from "../functions/mail/create-mailer.js";
import { createPostgresPool } from "../functions/postgres/create-pool.js";
import { startEmbeddedPostgres } from "../functions/postgres/embedded-postgres.js";
import { prepareUsersTable } from "../functions/postgres/migrate.js";
async function createFunctionClients(services) {
  const { config, logger, closers } = services;
  const clients = {};
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
  if (config.functions.includes(DESTINATIONS_ID)) {
    clients.destinations = await loadDestinations(config.destinationsDir, config.environment, logger);
    const on = clients.destinations.filter((destination) => destination.on).map((destination) => destination.name);
    if (on.length > 0) logger.info({ destinations: on }, `destinations: ${on.length} on`);
    else logger.info("destinations: off (no destination in DESTINATIONS_DIR has its variables set)");
  }
  return clients;
}
async function openDatabase(services) {
  const { config, logger, closers } = services;
  if (config.databaseUrl) {
    const pool2 = createPostgresPool(config.databaseUrl, logger);
    closers.push("postgres pool", () => pool2.end());
    await prepareUsersTable(pool2, logger, "DATABASE_URL");
    logger.info("database: the users table is ready at DATABASE_URL");
    return pool2;
  }
  const embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, logger });
  closers.push("embedded postgres", () => embedded.close());
  logger.warn(
    { dataDir: embedded.dataDir },
    `database: DATABASE_URL is not set, so user-sync mirrors Clerk users to an embedded PostgreSQL (PGlite) in ${embedded.dataDir}. It is for development: one bridge process, commits not fsynced. In production set DATABASE_URL=postgres://...`
  );
  const pool = createPostgresPool(embedded.url, logger, embedded.poolOptions);
  closers.push("postgres pool", () => pool.end());
  await prepareUsersTable(pool, logger, `the embedded PostgreSQL in ${embedded.dataDir}`);
  return pool;
}
export {
  createFunctionClients
};
