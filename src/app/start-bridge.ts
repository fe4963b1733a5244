import type { Server } from "node:http";
import { bindIntake } from "../client/intake.ts";
import { processIndex } from "../cluster/cluster-messages.ts";
import type { Config } from "../config/load-config.ts";
import { createWorkerApp } from "../http/create-worker-app.ts";
import { listen } from "../http/listen.ts";
import type { Logger } from "../logger.ts";
import { queueEventStreams } from "../queue/queue-names.ts";
import { startRetentionSweep } from "../retention/sweep-retention.ts";
import { loadTransforms, type TransformRegistry } from "../transforms/load-transforms.ts";
import type { Transform } from "../transforms/transform-types.ts";
import { createServices } from "./create-services.ts";
import { createReceiverApp } from "./start-receiver.ts";
import { startWorkerRole } from "./start-worker-role.ts";
import { checkStartupWarnings, describeConfiguration } from "./startup-report.ts";

export interface RunningBridge {
  server: Server;
  stop(): Promise<void>;
}

/**
 * Starts the bridge in the order its log tells it, so nothing is announced before it can fail:
 * configuration (templates included), Redis, database, functions, workers, and `receiving
 * webhooks on ...` last, once the port is bound. /readyz can only answer once all of it stands.
 */
export async function startBridge(config: Config, logger: Logger): Promise<RunningBridge> {
  const serves = config.role !== "worker";
  const works = config.role !== "receiver";
  const transforms = serves ? await loadTransforms(config.transformsDir) : undefined;
  logger.info(describeConfiguration(config, transforms), "configuration: loaded");
  checkStartupWarnings(config, logger, transforms);

  const services = await createServices(config, logger);
  // inngest.send() anywhere in the process goes through the request path's intake, as /e/:key.
  services.closers.push(
    "inngest.send",
    bindIntake(services.accept, {
      redis: services.redis,
      keys: services.keys,
      runsQueue: services.queues.runs,
      sealer: services.sealer,
    }),
  );
  // One process of a machine sweeps (they would all do the same); a receiver and a worker fleet each do.
  if ((processIndex() ?? 0) === 0) {
    services.closers.push(
      "retention sweep",
      startRetentionSweep({
        ...services,
        retentionMs: config.retentionMs,
        streams: [...queueEventStreams(services.keys.tag), services.keys.deliveries],
      }),
    );
  }
  try {
    const worker = works ? await startWorkerRole(services) : undefined;
    const receiver = serves ? createReceiverApp(services, transforms as Map<string, Transform>, worker) : undefined;
    const server = await listen(
      receiver?.app ??
        createWorkerApp(
          { redis: services.redis, probeKey: services.keys.healthProbe, redisHealth: services.redisHealth },
          services.metrics,
        ),
      config,
    );
    services.closers.push("http server", () => new Promise((resolve) => server.close(resolve)));
    // Closed before the server: server.close() waits for every open live stream to end.
    if (receiver) services.closers.push("live streams", receiver.close);
    const address = `http://localhost:${(server.address() as { port: number }).port}`;
    if (serves) {
      logger.info(
        { sources: [...(transforms as TransformRegistry).keys()] },
        `receiving webhooks on ${address}/webhooks/<source>`,
      );
      logger.info(
        `dashboard: ${address}/ (${config.adminToken ? "protected by ADMIN_TOKEN" : "loopback only: set ADMIN_TOKEN to open it to the network"})`,
      );
    } else {
      logger.info(`worker ready: health and metrics on ${address}`);
    }
    return { server, stop: () => services.close() };
  } catch (error) {
    await services.close();
    throw error;
  }
}
