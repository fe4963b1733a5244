import cluster from "node:cluster";
import { existsSync } from "node:fs";
import { loadConfig } from "./config.js";
import { processIndex, reportReady } from "./cluster/cluster-messages.js";
import { planProcesses } from "./cluster/plan-processes.js";
import { formatStartupError } from "./errors.js";
import { createLogger } from "./logger.js";
async function main(env, roleOverride) {
  const envFile = env === process.env && cluster.isPrimary ? loadDotEnv() : void 0;
  const config = loadConfig(roleOverride ? { ...env, ROLE: roleOverride } : env);
  const index = processIndex();
  const logger = createLogger(config.logLevel, void 0, config.logFormat, index === void 0 ? {} : { process: index });
  if (envFile) logger.info(`configuration: read ${envFile}`);
  const plan = index === void 0 ? planProcesses(config) : { processes: 1 };
  if (plan.reason) logger.info(`processes: ${plan.reason}`);
  if (plan.processes > 1) {
    const { superviseBridge } = await import("./cluster/supervisor.js");
    return superviseBridge(config, logger, plan.processes);
  }
  const { startBridge } = await import("./start-bridge.js");
  const bridge = await startBridge(config, logger);
  stopOnSignals(bridge, (text) => process.stderr.write(text));
  reportReady();
}
function loadDotEnv() {
  if (!existsSync(".env")) return void 0;
  process.loadEnvFile(".env");
  return ".env";
}
function stopOnSignals(bridge, write) {
  let stopping = false;
  const shutdown = (signal) => {
    if (stopping) return;
    stopping = true;
    write(`${signal}: draining and stopping
`);
    void bridge.stop().then(() => process.exit(0));
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}
function roleFromArgv(argv) {
  const index = argv.indexOf("--role");
  const value = index >= 0 ? argv[index + 1] : argv.find((arg) => arg.startsWith("--role="))?.slice(7);
  return value;
}
if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.env, roleFromArgv(process.argv.slice(2))).catch((error) => {
    process.stderr.write(`${formatStartupError(error)}
`);
    process.exit(1);
  });
}
export {
  main,
  roleFromArgv,
  stopOnSignals
};
