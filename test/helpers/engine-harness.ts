import { setTimeout as sleep } from "node:timers/promises";
import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { EngineOptions } from "../../src/config.ts";
import { bindIntake } from "../../src/client/intake.ts";
import { acceptEvents, type EventDraft } from "../../src/events/accept-events.ts";
import type { EventLog } from "../../src/events/event-log.ts";
import type { Logger } from "../../src/logger.ts";
import type { BridgeMetrics } from "../../src/metrics/create-metrics.ts";
import { createRegistry } from "../../src/engine/definition/registry.ts";
import { runIdFor } from "../../src/engine/store/run-id.ts";
import type { RunState } from "../../src/engine/store/run-state.ts";
import { startWorkers, type RunningWorkers } from "../../src/engine/start-workers.ts";
import { workerDepsOf } from "../../src/services/worker-deps.ts";
import type { BridgeFunction } from "../../src/engine/definition/types.ts";
import { startTestServices, type TestServices } from "./test-services.ts";

export interface TestEngine {
  prefix: string;
  redis: Redis;
  runsQueue: Queue;
  workers: RunningWorkers;
  eventLog: EventLog;
  metrics: BridgeMetrics;
  /** The operator's view of runs: read them, cancel, retry. */
  store: TestServices["services"]["runs"]["queries"] & TestServices["services"]["runs"]["commands"];
  send(events: EventDraft | EventDraft[]): Promise<string[]>;
  runId(functionId: string, eventId: string): string;
  /** Polls the run store until the run reaches one of `statuses` (tests only: no timing asserted). */
  waitForRun(runId: string, statuses: string | string[], timeoutMs?: number): Promise<RunState>;
  /** Stops the workers and starts new ones on the same prefix (a restart). */
  restart(functions?: readonly BridgeFunction[]): Promise<void>;
  close(): Promise<void>;
}

/** Engine options for tests: fast retries and fast recovery of a killed worker's jobs. */
export const TEST_ENGINE_OPTIONS: Partial<EngineOptions> = { concurrency: 20, retryBaseMs: 50, lockDurationMs: 2000, stalledIntervalMs: 1000 };

/** A real engine on the real Redis, built by the composition root's createServices, under a prefix of its own. */
export async function startTestEngine(
  functions: readonly BridgeFunction[],
  options: Partial<EngineOptions> & { env?: Record<string, string>; logger?: Logger } = {},
): Promise<TestEngine> {
  const { env = {}, logger, ...overrides } = options;
  const t = await startTestServices({ RETENTION: "1h", DEDUPE_WINDOW: "1h", ...env });
  const { services } = t;
  const engineOptions: EngineOptions = { ...t.config.engine, ...TEST_ENGINE_OPTIONS, ...overrides };
  const connection = services.createBlockingClient();
  // As start-bridge.ts does: inngest.send() from a test's functions reaches this engine.
  const unbind = bindIntake(services.accept, { redis: services.redis, keys: services.keys, runsQueue: services.queues.runs, sealer: services.sealer });
  const start = (fns: readonly BridgeFunction[]) =>
    startWorkers({ ...workerDepsOf(services, connection, engineOptions), logger: logger ?? services.logger }, createRegistry(fns));
  let workers = await start(functions);
  const engine: TestEngine = {
    prefix: t.prefix,
    redis: services.redis,
    runsQueue: services.queues.runs,
    get workers() {
      return workers;
    },
    eventLog: services.eventLog,
    metrics: services.metrics,
    store: { ...services.runs.queries, ...services.runs.commands },
    send: (events) => acceptEvents(services.accept, [events].flat(), "test"),
    runId: runIdFor,
    async waitForRun(runId, statuses, timeoutMs = 20_000) {
      const wanted = [statuses].flat();
      const deadline = Date.now() + timeoutMs;
      let run: RunState | undefined;
      while (Date.now() < deadline) {
        run = await services.runs.queries.getRun(runId);
        if (run && wanted.includes(run.status)) return run;
        await sleep(25);
      }
      throw new Error(`run ${runId} did not reach ${wanted.join("/")}; last state: ${JSON.stringify(run, null, 1)}`);
    },
    async restart(next = functions) {
      await workers.close();
      workers = await start(next);
    },
    async close() {
      await workers.close();
      unbind();
      connection.disconnect();
      await t.close();
    },
  };
  return engine;
}
