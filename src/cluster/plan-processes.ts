import type { Config } from "../config/load-config.ts";
import { StartupError } from "../errors.ts";
import { USER_SYNC_ID } from "../config/built-in-ids.ts";

export interface ProcessPlan {
  processes: number;
  /** Why fewer processes run than the machine has cores, for the start log. */
  reason?: string;
}

/**
 * Up to this many cores, WORKERS=auto runs one process: measured with `npm run bench:e2e` on 2
 * cores, a second process spent more CPU per sign-up and twice the memory (Redis and PostgreSQL
 * share those cores) for less throughput than the router executing runs in the event's job wins.
 */
export const ONE_PROCESS_UP_TO_CORES = 2;

/**
 * How many bridge processes to run. WORKERS=auto is one per available core above
 * ONE_PROCESS_UP_TO_CORES, else one; the embedded PostgreSQL (user-sync without DATABASE_URL)
 * serves one process only, so it keeps the bridge to one process, and asking for more explicitly
 * is a configuration error naming both variables.
 */
export function planProcesses(config: Config): ProcessPlan {
  if (!config.workersExplicit && config.workers <= ONE_PROCESS_UP_TO_CORES && config.workers > 1)
    return {
      processes: 1,
      reason: `one process: on ${config.workers} cores a second one costs more CPU per event than it wins (WORKERS=${config.workers} to run them anyway)`,
    };
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
