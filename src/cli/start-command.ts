import { parseArgs } from "node:util";
import { ROLES, type Role } from "../config/schema.ts";
import { main } from "../app/main.ts";
import { UsageError, type CliIo } from "./cli-io.ts";

/**
 * `bridge start [--role receiver|worker|all]`: the same service as `npm start` (several processes
 * under a supervisor with WORKERS). Resolves once it runs; SIGTERM or SIGINT drains and stops it. A failed start is printed by the CLI like any
 * startup error: its code and the fix, one line.
 */
export async function startCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { role: { type: "string" } } });
  if (values.role !== undefined && !(ROLES as readonly string[]).includes(values.role)) {
    throw new UsageError(`--role must be one of ${ROLES.join(", ")}`);
  }
  await main(io.env as NodeJS.ProcessEnv, values.role as Role | undefined);
  return 0;
}
