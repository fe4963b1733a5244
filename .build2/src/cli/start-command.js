import { parseArgs } from "node:util";
import { ROLES } from "../config.js";
import { main } from "../main.js";
import { UsageError } from "./cli-io.js";
/**
 * `bridge start [--role receiver|worker|all]`: the same service as `npm start` (several processes
 * under a supervisor with WORKERS). Resolves once it runs; SIGTERM or SIGINT drains and stops it. A failed start is printed by the CLI like any
 * startup error: its code and the fix, one line.
 */
export async function startCommand(args, io) {
    const { values } = parseArgs({ args, options: { role: { type: "string" } } });
    if (values.role !== undefined && !ROLES.includes(values.role)) {
        throw new UsageError(`--role must be one of ${ROLES.join(", ")}`);
    }
    await main(io.env, values.role);
    return 0;
}
