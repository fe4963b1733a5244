import { existsSync } from "node:fs";

/**
 * The one reader of the process's environment in src/: everything else gets the compiled
 * configuration (load-config.ts), or, for a command of the CLI, the variables its caller handed it.
 */

/** The supervisor tells each process its index in this variable (process 0 does the once-only work). */
export const PROCESS_INDEX_VARIABLE = "BRIDGE_PROCESS_INDEX";

/** The variables this process was started with (`.env`'s among them once loadDotEnv has read it). */
export function processEnvironment(): NodeJS.ProcessEnv {
  return process.env;
}

/** The index the supervisor gave this process, as it set it; undefined outside a supervisor. */
export function givenProcessIndex(): string | undefined {
  return process.env[PROCESS_INDEX_VARIABLE];
}

/**
 * `.env` in the working directory, when there is one, read with Node's own loader. Variables
 * already set in the environment win, as with every .env tool. The supervisor reads it once;
 * the processes it starts inherit the result.
 */
export function loadDotEnv(): string | undefined {
  if (!existsSync(".env")) return undefined;
  process.loadEnvFile(".env");
  return ".env";
}
