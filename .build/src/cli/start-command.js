import { parseArgs } from "node:util";
import { ROLES } from "../config.js";
import { main } from "../main.js";
import { UsageError } from "./cli-io.js";
async function startCommand(args, io) {
  const { values } = parseArgs({ args, options: { role: { type: "string" } } });
  if (values.role !== void 0 && !ROLES.includes(values.role)) {
    throw new UsageError(`--role must be one of ${ROLES.join(", ")}`);
  }
  await main(io.env, values.role);
  return 0;
}
export {
  startCommand
};
