import { setTimeout as sleep } from "node:timers/promises";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { acceptEvents, type EventDraft } from "../../src/events/accept-events.ts";
import { createEventLog } from "../../src/events/event-log.ts";
import { createLogger } from "../../src/logger.ts";
import { EVENTS_QUEUE, keyPrefix } from "../../src/queue/queue-names.ts";
import { runIdFor } from "../../src/engine/run-id.ts";
import type { RunState } from "../../src/engine/run-state.ts";
import { startWorkers, type RunningWorkers, type WorkerDeps } from "../../src/engine/start-workers.ts";
import type { BridgeFunction } from "../../src/engine/types.ts";
import { dropPrefix, testPrefix, TEST_REDIS_URL } from "./test-redis.ts";

export interface TestEngine {
  prefix: string;
  redis: Redis;
  workers: RunningWorkers;
  eventLog: ReturnType<typeof createEventLog>;
  send(events: EventDraft | EventDraft[]): Promise<string[]>;
  runId(functionId: string, eventId: string): string;
  /** Polls the run store until the run reaches one of `statuses` (tests only: no timing asserted). */
  waitForRun(runId: string, statuses: string | string[], timeoutMs?: number): Promise<RunState>;
  /** Stops the workers and starts new ones on the same prefix (a restart). */
  restart(functions?: readonly BridgeFunction[]): Promise<void>;
  close(): Promise<void>;
}

/** A real engine on the real Redis, under a prefix of its own, with fast retries and lock recovery. */
export async function startTestEngine(functions: readonly BridgeFunction[], options: Partial<WorkerDeps> = {}): Promise<TestEngine> {
  const prefix = options.prefix ?? testPrefix();
  const redis = new Redis(TEST_REDIS_URL, { enableAutoPipelining: true, maxRetriesPerRequest: 1 });
  const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  const eventsQueue = new Queue(EVENTS_QUEUE, { connection, prefix: keyPrefix(prefix) });
  const deps: WorkerDeps = {
    redis,
    connection,
    logger: createLogger(process.env.TEST_LOG_LEVEL ?? "silent"),
    functions,
    prefix,
    retentionMs: 60 * 60 * 1000,
    dedupeWindowMs: 60 * 60 * 1000,
    concurrency: 20,
    retryBaseMs: 50,
    lockDurationMs: 2000,
    stalledIntervalMs: 1000,
    ...options,
  };
  let workers = await startWorkers(deps);
  const engine: TestEngine = {
    prefix,
    redis,
    get workers() {
      return workers;
    },
    eventLog: createEventLog({ redis, prefix, retentionMs: deps.retentionMs }),
    send: (events) => acceptEvents({ eventsQueue, dedupeWindowMs: deps.dedupeWindowMs, retentionMs: deps.retentionMs }, [events].flat(), "test"),
    runId: runIdFor,
    async waitForRun(runId, statuses, timeoutMs = 20_000) {
      const wanted = [statuses].flat();
      const deadline = Date.now() + timeoutMs;
      let run: RunState | undefined;
      while (Date.now() < deadline) {
        run = await workers.store.getRun(runId);
        if (run && wanted.includes(run.status)) return run;
        await sleep(25);
      }
      throw new Error(`run ${runId} did not reach ${wanted.join("/")}; last state: ${JSON.stringify(run, null, 1)}`);
    },
    async restart(next = functions) {
      await workers.close();
      workers = await startWorkers({ ...deps, functions: next });
    },
    async close() {
      await workers.close();
      await eventsQueue.close();
      await dropPrefix(prefix);
      redis.disconnect();
      connection.disconnect();
    },
  };
  return engine;
}
