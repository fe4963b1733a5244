import { parseArgs } from "node:util";
import { ROLES, type Role } from "../config.ts";
import { startBridge } from "../main.ts";
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
  const bridge = await startBridge(io.env as NodeJS.ProcessEnv, values.role as Role | undefined);
  const shutdown = (signal: string) => {
    io.stderr.write(`${signal}: draining and stopping\n`);
    void bridge.stop().then(() => process.exit(0));
  };
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  process.once("SIGINT", () => shutdown("SIGINT"));
  return 0;
}
