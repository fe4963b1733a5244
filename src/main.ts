import { existsSync } from "node:fs";
import { loadConfig, type Role } from "./config.ts";
import { formatStartupError } from "./errors.ts";
import { createLogger } from "./logger.ts";
import { startBridge, type RunningBridge } from "./start-bridge.ts";

/**
 * The entry point of `npm start` and `bridge start`, and the only module that reads process.env:
 * it reads `.env` when present, compiles the configuration once, and hands it to startBridge,
 * which builds every client in one place (src/services/create-services.ts).
 */
export async function main(env: NodeJS.ProcessEnv, roleOverride?: Role): Promise<RunningBridge> {
  const envFile = env === process.env ? loadDotEnv() : undefined;
  const config = loadConfig(roleOverride ? { ...env, ROLE: roleOverride } : env);
  const logger = createLogger(config.logLevel, undefined, config.logFormat);
  if (envFile) logger.info(`configuration: read ${envFile}`);
  return startBridge(config, logger);
}

/**
 * `.env` in the working directory, when there is one, read with Node's own loader. Variables
 * already set in the environment win, as with every .env tool.
 */
function loadDotEnv(): string | undefined {
  if (!existsSync(".env")) return undefined;
  process.loadEnvFile(".env");
  return ".env";
}

/** Runs until SIGTERM or SIGINT, then drains (active runs finish or suspend) and exits 0. */
export function stopOnSignals(bridge: RunningBridge, write: (text: string) => void): void {
  const shutdown = (signal: string) => {
    write(`${signal}: draining and stopping\n`);
    void bridge.stop().then(() => process.exit(0));
  };
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  process.once("SIGINT", () => shutdown("SIGINT"));
}

export function roleFromArgv(argv: string[]): Role | undefined {
  const index = argv.indexOf("--role");
  const value = index >= 0 ? argv[index + 1] : argv.find((arg) => arg.startsWith("--role="))?.slice(7);
  return value as Role | undefined;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.env, roleFromArgv(process.argv.slice(2)))
    .then((bridge) => stopOnSignals(bridge, (text) => process.stderr.write(text)))
    .catch((error: unknown) => {
      process.stderr.write(`${formatStartupError(error)}\n`);
      process.exit(1);
    });
}
