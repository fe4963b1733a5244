import cluster from "node:cluster";
import { loadConfig } from "../config/load-config.ts";
import { loadDotEnv, processEnvironment } from "../config/environment.ts";
import type { Role } from "../config/schema.ts";
import { processIndex, reportReady } from "../cluster/cluster-messages.ts";
import { planProcesses } from "../cluster/plan-processes.ts";
import { formatStartupError } from "../errors.ts";
import { checkPortFree } from "../http/check-port.ts";
import { createLogger } from "../logger.ts";
import type { RunningBridge } from "./start-bridge.ts";
import { adoptLocalWebhookSecret, describeLocalWebhookSecret } from "../webhooks/local-webhook-secret.ts";

/**
 * The entry point of `npm start` and `bridge start`: it reads `.env` when present (through
 * config/environment.ts, the one reader of process.env), compiles the configuration once, and
 * either runs the bridge in this process (WORKERS=1, or a process started by the supervisor) or
 * becomes the supervisor of several (src/cluster/supervisor.ts). The bridge's modules are
 * imported only where they run, so the supervisor stays small.
 */
export async function main(env: NodeJS.ProcessEnv, roleOverride?: Role): Promise<void> {
  const envFile = env === processEnvironment() && cluster.isPrimary ? loadDotEnv() : undefined;
  // In development, an unset CLERK_WEBHOOK_SECRET means the local one in DATA_DIR: made by the
  // first start, read by every process after it (the supervisor's children included).
  const { config, local } = adoptLocalWebhookSecret(loadConfig(roleOverride ? { ...env, ROLE: roleOverride } : env));
  const index = processIndex();
  const logger = createLogger(
    config.logLevel,
    undefined,
    config.logFormat,
    index === undefined ? {} : { process: index },
  );
  if (envFile) logger.info(`configuration: read ${envFile}`);
  // The primary only: a process the supervisor starts shares the port the cluster already holds.
  if (index === undefined) await checkPortFree(config.port, config.host);
  if (local && index === undefined) logger.info(describeLocalWebhookSecret(local));
  const plan = index === undefined ? planProcesses(config) : { processes: 1 };
  if (plan.reason) logger.info(`processes: ${plan.reason}`);
  if (plan.processes > 1) {
    const [{ superviseBridge }, { ensureLocalRedis }] = await Promise.all([
      import("../cluster/supervisor.ts"),
      import("../redis/ensure-local-redis.ts"),
    ]);
    // Redis is started here, once, if it must be: every process the supervisor forks uses it.
    const localRedis = await ensureLocalRedis(config.redisUrl, config.dataDir);
    if (localRedis.child)
      logger.warn(
        { dataDir: config.dataDir },
        "REDIS_URL is not set: started a private redis-server on 127.0.0.1:6379 (AOF on)",
      );
    return superviseBridge(config, logger, plan.processes, localRedis);
  }
  const { startBridge } = await import("./start-bridge.ts");
  const bridge = await startBridge(config, logger);
  stopOnSignals(bridge, (text) => process.stderr.write(text));
  reportReady();
}

/**
 * Runs until SIGTERM or SIGINT, then drains (active runs finish or suspend) and exits 0. A second
 * signal (Ctrl-C reaches the supervisor and its processes alike) changes nothing.
 */
export function stopOnSignals(bridge: RunningBridge, write: (text: string) => void): void {
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    write(`${signal}: draining and stopping\n`);
    void bridge.stop().then(() => process.exit(0));
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

export function roleFromArgv(argv: string[]): Role | undefined {
  const index = argv.indexOf("--role");
  const value = index >= 0 ? argv[index + 1] : argv.find((arg) => arg.startsWith("--role="))?.slice(7);
  return value as Role | undefined;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(processEnvironment(), roleFromArgv(process.argv.slice(2))).catch((error: unknown) => {
    process.stderr.write(`${formatStartupError(error)}\n`);
    process.exit(1);
  });
}
