import { afterEach } from "node:test";
import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { EngineOptions } from "../../src/config/load-config.ts";
import { bindIntake } from "../../src/client/intake.ts";
import { acceptEvents, type EventDraft } from "../../src/events/accept-events.ts";
import type { EventLog } from "../../src/events/event-log.ts";
import type { Logger } from "../../src/logger.ts";
import type { BridgeMetrics } from "../../src/metrics/create-metrics.ts";
import { eventJobId } from "../../src/queue/event-jobs.ts";
import type { BridgeKeys } from "../../src/redis/keys.ts";
import { createRegistry } from "../../src/engine/definition/registry.ts";
import { runIdFor } from "../../src/engine/store/run-id.ts";
import type { RunState, StepState } from "../../src/engine/store/run-state.ts";
import { startWorkers, type RunningWorkers } from "../../src/engine/start-workers.ts";
import { workerDepsOf } from "../../src/app/worker-deps.ts";
import type { BridgeFunction } from "../../src/engine/definition/types.ts";
import { startTestServices, type TestServices } from "./test-services.ts";
import { waitFor } from "./wait-until.ts";

/** What a test waits for in a run: one of these statuses, or a condition on the whole run. */
export type RunCondition = string | string[] | ((run: RunState) => boolean);

export interface TestEngine {
  prefix: string;
  redis: Redis;
  keys: BridgeKeys;
  /** The intake's queue: the router reads events from it (tests add jobs to it as a redelivery would). */
  eventsQueue: Queue;
  runsQueue: Queue;
  workers: RunningWorkers;
  eventLog: EventLog;
  metrics: BridgeMetrics;
  /** Parsed pino lines, when the test asked for `captureLogs`. */
  logs: Array<Record<string, unknown>>;
  /** The operator's view of runs: read them, cancel, retry. */
  store: TestServices["services"]["runs"]["queries"] & TestServices["services"]["runs"]["commands"];
  send(events: EventDraft | EventDraft[]): Promise<string[]>;
  /** Sends one event and waits until the router is done with it, so events are routed in order. */
  sendRouted(event: EventDraft & { id: string }): Promise<void>;
  runId(functionId: string, eventId: string): string;
  /** Polls the run store until the run reaches one of `statuses`, or meets the condition (tests only: no timing asserted). */
  waitForRun(runId: string, until: RunCondition, timeoutMs?: number): Promise<RunState>;
  /** Polls the run store until the run has a step that meets `ready`, and returns that step. */
  waitForStep(runId: string, ready: (step: StepState) => boolean, timeoutMs?: number): Promise<StepState>;
  /** Stops the workers and starts new ones on the same prefix (a restart). */
  restart(functions?: readonly BridgeFunction[]): Promise<void>;
  close(): Promise<void>;
}

export type TestEngineOptions = Partial<EngineOptions> & {
  env?: Record<string, string>;
  logger?: Logger;
  captureLogs?: boolean;
};

/** Engine options for tests: fast retries and fast recovery of a killed worker's jobs. */
export const TEST_ENGINE_OPTIONS: Partial<EngineOptions> = {
  concurrency: 20,
  retryBaseMs: 50,
  lockDurationMs: 2000,
  stalledIntervalMs: 1000,
};

/**
 * Polls `getRun` until the run reaches one of the statuses or meets the condition; the error
 * names the last state seen (tests only: no timing is asserted, the timeout is generous).
 */
export async function waitForRunIn(
  runs: { getRun(runId: string): Promise<RunState | undefined> },
  runId: string,
  until: RunCondition,
  timeoutMs = 20_000,
): Promise<RunState> {
  const ready = typeof until === "function" ? until : (run: RunState) => [until].flat().includes(run.status);
  const wanted = typeof until === "function" ? "the expected state" : [until].flat().join("/");
  let run: RunState | undefined;
  await waitFor(
    async () => (run = await runs.getRun(runId)),
    (found) => found !== undefined && ready(found),
    () => `run ${runId} did not reach ${wanted}; last state: ${JSON.stringify(run, null, 1)}`,
    timeoutMs,
  );
  return run as RunState;
}

/** A real engine on the real Redis, built by the composition root's createServices, under a prefix of its own. */
export async function startTestEngine(
  functions: readonly BridgeFunction[],
  options: TestEngineOptions = {},
): Promise<TestEngine> {
  const { env = {}, logger, captureLogs = false, ...overrides } = options;
  const t = await startTestServices({ RETENTION: "1h", DEDUPE_WINDOW: "1h", ...env }, { captureLogs });
  const { services } = t;
  const engineOptions: EngineOptions = { ...t.config.engine, ...TEST_ENGINE_OPTIONS, ...overrides };
  const connection = services.createBlockingClient();
  // As start-bridge.ts does: inngest.send() from a test's functions reaches this engine.
  const unbind = bindIntake(services.accept, {
    redis: services.redis,
    keys: services.keys,
    runsQueue: services.queues.runs,
    sealer: services.sealer,
  });
  const start = (fns: readonly BridgeFunction[]) =>
    startWorkers(
      { ...workerDepsOf(services, connection, engineOptions), logger: logger ?? services.logger },
      createRegistry(fns),
    );
  let workers = await start(functions);
  const eventsQueue = services.queues.events;
  let closing: Promise<void> | undefined;
  const engine: TestEngine = {
    prefix: t.prefix,
    redis: services.redis,
    keys: services.keys,
    eventsQueue,
    runsQueue: services.queues.runs,
    get workers() {
      return workers;
    },
    eventLog: services.eventLog,
    metrics: services.metrics,
    logs: t.logs,
    store: { ...services.runs.queries, ...services.runs.commands },
    send: (events) => acceptEvents(services.accept, [events].flat(), "test"),
    async sendRouted(event) {
      await engine.send(event);
      await waitFor(
        async () =>
          (await eventsQueue.getJobState(eventJobId(event.id))) === "completed" &&
          (await services.eventLog.getEvent(event.id)) !== undefined &&
          Object.values(await eventsQueue.getJobCounts("wait", "active")).every((count) => count === 0),
        (routed) => routed,
        `event ${event.id} was not routed`,
      );
    },
    runId: runIdFor,
    waitForRun: (runId, until, timeoutMs) => waitForRunIn(services.runs.queries, runId, until, timeoutMs),
    async waitForStep(runId, ready, timeoutMs) {
      const run = await waitForRunIn(services.runs.queries, runId, (found) => found.steps.some(ready), timeoutMs);
      return run.steps.find(ready) as StepState;
    },
    async restart(next = functions) {
      await workers.close();
      workers = await start(next);
    },
    // Once, however often it is called (a test may close early what afterEach closes again).
    close: () =>
      (closing ??= (async () => {
        await workers.close();
        unbind();
        connection.disconnect();
        await t.close();
      })()),
  };
  return engine;
}

/**
 * For a test file (or a describe block): registers an afterEach that closes every engine its
 * tests started, and returns the function that starts one (as startTestEngine).
 */
export function engineForEachTest(): typeof startTestEngine {
  const started: TestEngine[] = [];
  afterEach(async () => {
    for (const engine of started.splice(0)) await engine.close();
  });
  return async (functions, options) => {
    const engine = await startTestEngine(functions, options);
    started.push(engine);
    return engine;
  };
}
