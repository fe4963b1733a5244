import { StartupError } from "../errors.js";
import { USER_SYNC_ID } from "../functions/built-in-ids.js";
function planProcesses(config) {
  const embeddedDatabase = config.role !== "receiver" && config.functions.includes(USER_SYNC_ID) && !config.databaseUrl;
  if (!embeddedDatabase || config.workers === 1) return { processes: config.workers };
  if (config.workersExplicit) {
    throw new StartupError(
      "config_invalid",
      `invalid configuration:
  WORKERS: ${config.workers} processes need DATABASE_URL: without it user-sync uses the embedded PostgreSQL, which serves one process. Set DATABASE_URL, or WORKERS=1, or leave user-sync out of FUNCTIONS`
    );
  }
  return { processes: 1, reason: "one process: the embedded PostgreSQL serves one process (set DATABASE_URL to use every core)" };
}
export {
  planProcesses
};
