import cluster, { type Worker } from "node:cluster";
import { AggregatorRegistry } from "prom-client";
import type { Config } from "../config/load-config.ts";
import type { Logger } from "../logger.ts";
import { PROCESS_INDEX_VARIABLE } from "../config/environment.ts";
import type { LocalRedis } from "../redis/ensure-local-redis.ts";
import { CLUSTER_MESSAGES, type ClusterMessage } from "./cluster-messages.ts";

/** A process that dies sooner than this after starting is restarted with a growing delay. */
const HEALTHY_AFTER_MS = 60_000;
const MAX_RESTART_DELAY_MS = 30_000;

/**
 * The supervisor of a multi-process bridge (node:cluster primary), on the Redis the composition
 * root found or started (`localRedis`, stopped with it). It forks one bridge per process index
 * (each runs the receiver and the workers; the cluster shares the HTTP port), restarts a process
 * that crashes, answers /metrics requests with the sum over all processes, and on SIGTERM or
 * SIGINT drains them all before it exits. A process
 * that fails while starting stops the whole start: its own error is already printed.
 */
export async function superviseBridge(
  config: Config,
  logger: Logger,
  processes: number,
  localRedis: LocalRedis,
): Promise<void> {
  const aggregator = new AggregatorRegistry();
  // A child process's environment: cluster.fork adds these to this process's own (process.env).
  const env = { REDIS_URL: localRedis.url };
  const byIndex = new Map<number, { worker: Worker; startedAt: number; restarts: number }>();
  let stopping = false;

  const fork = (index: number, restarts: number) => {
    const worker = cluster.fork({ ...env, [PROCESS_INDEX_VARIABLE]: String(index) });
    byIndex.set(index, { worker, startedAt: Date.now(), restarts });
    worker.on("message", (message: ClusterMessage) => {
      if (message?.type !== CLUSTER_MESSAGES.metricsRequest) return;
      aggregator
        .clusterMetrics()
        .then((text) => worker.send({ type: CLUSTER_MESSAGES.metricsResponse, id: message.id, text }))
        .catch((error: Error) =>
          worker.send({ type: CLUSTER_MESSAGES.metricsResponse, id: message.id, error: error.message }),
        );
    });
    return worker;
  };

  const ready = await startAll(processes, fork);
  if (!ready.ok) {
    stopping = true;
    await stopAll(byIndex);
    localRedis.child?.kill("SIGTERM");
    process.exit(1);
  }
  logger.info(
    { processes },
    `supervisor: ${processes} bridge processes running (WORKERS${config.workersExplicit ? `=${config.workers}` : "=auto"})`,
  );

  cluster.on("exit", (worker, code, signal) => {
    if (stopping) return;
    const [index, entry] = [...byIndex.entries()].find(([, each]) => each.worker === worker) ?? [];
    if (index === undefined || !entry) return;
    const healthy = Date.now() - entry.startedAt > HEALTHY_AFTER_MS;
    const restarts = healthy ? 0 : entry.restarts + 1;
    const delay = Math.min(1000 * 2 ** Math.max(restarts - 1, 0), MAX_RESTART_DELAY_MS);
    logger.error(
      { process: index, code, signal, restartInMs: delay },
      "supervisor: a bridge process ended; restarting it",
    );
    setTimeout(() => !stopping && fork(index, restarts), delay).unref();
  });

  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`supervisor: ${signal}, draining every process`);
    void stopAll(byIndex).then(() => {
      localRedis.child?.kill("SIGTERM");
      process.exit(0);
    });
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

/** Forks every process and waits until each says it is ready, or one ends first. */
function startAll(processes: number, fork: (index: number, restarts: number) => Worker): Promise<{ ok: boolean }> {
  return new Promise((resolve) => {
    let pending = processes;
    const onExit = () => {
      cluster.off("exit", onExit);
      resolve({ ok: false });
    };
    cluster.on("exit", onExit);
    for (let index = 0; index < processes; index++) {
      fork(index, 0).on("message", (message: ClusterMessage) => {
        if (message?.type !== CLUSTER_MESSAGES.ready) return;
        if (--pending === 0) {
          cluster.off("exit", onExit);
          resolve({ ok: true });
        }
      });
    }
  });
}

/** SIGTERM to every process (each drains its active runs), then wait for all of them to end. */
async function stopAll(byIndex: Map<number, { worker: Worker }>): Promise<void> {
  const alive = [...byIndex.values()].map(({ worker }) => worker).filter((worker) => !worker.isDead());
  await Promise.all(
    alive.map(
      (worker) =>
        new Promise<void>((resolve) => {
          worker.once("exit", () => resolve());
          worker.process.kill("SIGTERM");
        }),
    ),
  );
}
