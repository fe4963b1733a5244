import { parseArgs } from "node:util";
import { ConfigError, ROLES, type Role } from "../config.ts";
import { FunctionDefinitionError } from "../engine/index.ts";
import { FunctionLoadError } from "../functions/index.ts";
import { startBridge, type RunningBridge } from "../main.ts";
import { RedisUnavailableError } from "../redis/ensure-local-redis.ts";
import { TransformLoadError } from "../transforms/load-transforms.ts";
import { UsageError, type CliIo } from "./cli-io.ts";

/**
 * `bridge start [--role receiver|worker|all]`: the same service as `npm start`. Resolves once it
 * runs; SIGTERM or SIGINT drains and stops it.
 */
export async function startCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { role: { type: "string" } } });
  if (values.role !== undefined && !(ROLES as readonly string[]).includes(values.role)) {
    throw new UsageError(`--role must be one of ${ROLES.join(", ")}`);
  }
  let bridge: RunningBridge;
  try {
    bridge = await startBridge(io.env as NodeJS.ProcessEnv, values.role as Role | undefined);
  } catch (error) {
    // What the operator can fix (a bad variable, a broken template, no Redis) reads as one line.
    const known = [ConfigError, TransformLoadError, RedisUnavailableError, FunctionLoadError, FunctionDefinitionError];
    if (known.some((type) => error instanceof type)) throw new UsageError(`cannot start: ${(error as Error).message}`);
    throw error;
  }
  const shutdown = (signal: string) => {
    io.stderr.write(`${signal}: draining and stopping\n`);
    void bridge.stop().then(() => process.exit(0));
  };
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  process.once("SIGINT", () => shutdown("SIGINT"));
  return 0;
}
