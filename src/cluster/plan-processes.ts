import type { Config } from "../config/load-config.ts";
import { StartupError } from "../errors.ts";
import { USER_SYNC_ID } from "../config/built-in-ids.ts";

export interface ProcessPlan {
  processes: number;
  /** Why fewer processes run than the machine has cores, for the start log. */
  reason?: string;
}

/**
 * How many bridge processes to run. WORKERS=auto is one per available core; the embedded
 * PostgreSQL (user-sync without DATABASE_URL) serves one process only, so it keeps the bridge to
 * one process, and asking for more explicitly is a configuration error naming both variables.
 */
export function planProcesses(config: Config): ProcessPlan {
  const embeddedDatabase = config.role !== "receiver" && config.functions.includes(USER_SYNC_ID) && !config.databaseUrl;
  if (!embeddedDatabase || config.workers === 1) return { processes: config.workers };
  if (config.workersExplicit) {
    throw new StartupError(
      "config_invalid",
      `invalid configuration:\n  WORKERS: ${config.workers} processes need DATABASE_URL: without it user-sync uses the embedded PostgreSQL, which serves one process. Set DATABASE_URL, or WORKERS=1, or leave user-sync out of FUNCTIONS`,
    );
  }
  return {
    processes: 1,
    reason: "one process: the embedded PostgreSQL serves one process (set DATABASE_URL to use every core)",
  };
}
