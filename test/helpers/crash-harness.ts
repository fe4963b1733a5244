/**
 * The test's side of the crash tests: worker processes (scripts that end in runCrashWorker, see
 * crash-worker.ts) on a Redis prefix of their own, and the engine seen from outside those
 * processes: events sent through the intake's queue, runs read from the store.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { afterEach } from "node:test";
import { fileURLToPath } from "node:url";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { createRunQueries, type RunQueries } from "../../src/engine/store/run-queries.ts";
import type { RunState } from "../../src/engine/store/run-state.ts";
import { acceptEvents, type EventDraft } from "../../src/events/accept-events.ts";
import { EVENTS_QUEUE, keyPrefix, RUNS_QUEUE } from "../../src/queue/queue-names.ts";
import { bridgeKeys, type BridgeKeys } from "../../src/redis/keys.ts";
import { waitForRunIn, type RunCondition } from "./engine-harness.ts";
import { dropPrefix, testPrefix, TEST_REDIS_URL } from "./test-redis.ts";

export interface EngineFromOutside {
  prefix: string;
  redis: Redis;
  keys: BridgeKeys;
  eventsQueue: Queue;
  runsQueue: Queue;
  store: RunQueries;
  /** Sends events as the intake does (a dedupe window of an hour). */
  send(events: EventDraft | EventDraft[]): Promise<string[]>;
  waitForRun(runId: string, until: RunCondition, timeoutMs?: number): Promise<RunState>;
  /** Closes the queues and the connection, and deletes every key under the prefix. */
  close(): Promise<void>;
}

/** The engine's Redis prefix (a fresh one unless given), as workers in other processes use it. */
export function engineFromOutside(prefix = testPrefix()): EngineFromOutside {
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  const eventsQueue = new Queue(EVENTS_QUEUE, { connection: redis, prefix: keyPrefix(prefix) });
  const runsQueue = new Queue(RUNS_QUEUE, { connection: redis, prefix: keyPrefix(prefix) });
  const keys = bridgeKeys(prefix);
  const store = createRunQueries({ redis, keys });
  return {
    prefix,
    redis,
    keys,
    eventsQueue,
    runsQueue,
    store,
    send: (events) => acceptEvents({ eventsQueue, dedupeWindowMs: 3_600_000 }, [events].flat(), "test"),
    waitForRun: (runId, until, timeoutMs) => waitForRunIn(store, runId, until, timeoutMs),
    async close() {
      await Promise.all([eventsQueue.close(), runsQueue.close()]);
      await dropPrefix(prefix);
      redis.disconnect();
    },
  };
}

/** Sends `signal` to a process and waits until it has exited. */
export async function kill(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  const exited = once(child, "exit");
  child.kill(signal);
  await exited;
}

/**
 * For a crash test file: `outside()` gives a prefix of its own seen from outside, `startWorker`
 * starts `script` on it and resolves once the worker says "ready". After each test, the workers
 * still running are killed, then what `outside` and `cleanup` opened is closed, last first.
 */
export function crashTestsOf(script: URL) {
  const file = fileURLToPath(script);
  const children: ChildProcess[] = [];
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return {
    outside(): EngineFromOutside {
      const view = engineFromOutside();
      cleanups.push(() => view.close());
      return view;
    },
    cleanup(callback: () => Promise<void>): void {
      cleanups.push(callback);
    },
    async startWorker(prefix: string, env: Record<string, string> = {}): Promise<ChildProcess> {
      const child = spawn(process.execPath, ["--import", "tsx", file], {
        env: { ...process.env, ENGINE_TEST_PREFIX: prefix, ...env },
        stdio: ["ignore", "pipe", "inherit"],
      });
      children.push(child);
      const [chunk] = (await once(child.stdout!, "data")) as [Buffer];
      assert.equal(chunk.toString().trim(), "ready");
      return child;
    },
  };
}
