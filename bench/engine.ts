/**
 * npm run bench:engine — N events to 2 functions of 1 step each, through the router and the
 * executor, against the floor in the same run: raw BullMQ, one job per event that adds 2 child
 * jobs, processed with no work. Prints events/s, runs/s and Redis commands per event (INFO
 * commandstats before and after, on a private redis-server so other clients do not count).
 * Both sides get the same input: N events queued by the intake's acceptEvents before the clock
 * starts (this measures the workers, not the intake).
 */
import { setTimeout as sleep } from "node:timers/promises";
import { Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import { createFunction } from "../src/client/index.ts";
import { createRegistry } from "../src/engine/definition/registry.ts";
import { startWorkers } from "../src/engine/start-workers.ts";
import { loadConfig } from "../src/config/load-config.ts";
import { createServices } from "../src/app/create-services.ts";
import { workerDepsOf } from "../src/app/worker-deps.ts";
import { acceptEvents } from "../src/events/accept-events.ts";
import { createLogger } from "../src/logger.ts";
import { EVENTS_QUEUE, keyPrefix } from "../src/queue/queue-names.ts";
import { commandsExecuted, redisCpu, startRedisServer } from "./redis-server.ts";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 5000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
/** Rounds of floor then engine; the best of each is kept, as the 2-core machine is shared. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PORT = Number(process.env.BENCH_REDIS_PORT ?? 6390 + (process.pid % 100));
const URL = `redis://127.0.0.1:${PORT}`;

interface Result {
  name: string;
  seconds: number;
  eventsPerSecond: number;
  runsPerSecond: number;
  commandsPerEvent: number;
  redisCpuUsPerEvent: number;
  nodeCpuUsPerEvent: number;
}

async function measure(admin: Redis, name: string, runsPerEvent: number, body: () => Promise<void>): Promise<Result> {
  const before = await commandsExecuted(admin);
  const redisCpuBefore = await redisCpu(admin);
  const nodeCpuBefore = process.cpuUsage();
  const started = performance.now();
  await body();
  const seconds = (performance.now() - started) / 1000;
  const nodeCpu = process.cpuUsage(nodeCpuBefore);
  const redisCpuSeconds = (await redisCpu(admin)) - redisCpuBefore;
  const commands = (await commandsExecuted(admin)) - before;
  return {
    name,
    seconds: Number(seconds.toFixed(2)),
    eventsPerSecond: Math.round(EVENTS / seconds),
    runsPerSecond: Math.round((EVENTS * runsPerEvent) / seconds),
    commandsPerEvent: Number((commands / EVENTS).toFixed(1)),
    redisCpuUsPerEvent: Math.round((redisCpuSeconds * 1e6) / EVENTS),
    nodeCpuUsPerEvent: Math.round((nodeCpu.user + nodeCpu.system) / EVENTS),
  };
}

async function waitFor(check: () => boolean): Promise<void> {
  while (!check()) await sleep(20);
}

/** Queues the N events through the intake's own acceptEvents, so both sides start from the same queue. */
async function preloadEvents(connection: Redis, prefix: string): Promise<Queue> {
  const eventsQueue = new Queue(EVENTS_QUEUE, { connection, prefix: keyPrefix(prefix) });
  const accept = { eventsQueue, dedupeWindowMs: 3_600_000, retentionMs: 3_600_000 };
  for (let i = 0; i < EVENTS; i += 500) {
    const drafts = Array.from({ length: Math.min(500, EVENTS - i) }, (_, j) => ({
      id: `e${i + j}`,
      name: "bench/event",
      data: { n: i + j },
    }));
    await acceptEvents(accept, drafts, "bench");
  }
  return eventsQueue;
}

async function benchFloor(admin: Redis): Promise<Result> {
  const connection = new Redis(URL, { maxRetriesPerRequest: null });
  const prefix = "bench-floor";
  const eventsQueue = await preloadEvents(connection, prefix);
  const children = new Queue("runs", { connection, prefix: keyPrefix(prefix) });
  let done = 0;
  const options = { connection, prefix: keyPrefix(prefix), concurrency: CONCURRENCY };
  const result = await measure(admin, "floor (raw BullMQ fan-out)", 2, async () => {
    const router = new Worker(
      EVENTS_QUEUE,
      async (job) => {
        await children.addBulk(
          ["a", "b"].map((fn) => ({
            name: fn,
            data: { eventId: job.id },
            opts: { jobId: `${fn}-${job.id}`, removeOnComplete: true },
          })),
        );
      },
      options,
    );
    const executor = new Worker("runs", async () => {}, options);
    executor.on("completed", () => done++);
    await waitFor(() => done === EVENTS * 2);
    await Promise.all([router.close(), executor.close()]);
  });
  await Promise.all([eventsQueue.close(), children.close()]);
  connection.disconnect();
  return result;
}

async function benchEngine(admin: Redis): Promise<Result> {
  const prefix = "bench-engine";
  const config = loadConfig({
    REDIS_URL: URL,
    REDIS_PREFIX: prefix,
    FUNCTIONS: "none",
    RETENTION: "1h",
    DEDUPE_WINDOW: "1h",
    WORKER_CONCURRENCY: String(CONCURRENCY),
  });
  const services = await createServices(config, createLogger("warn", undefined, "json"));
  const connection = services.createBlockingClient();
  const eventsQueue = await preloadEvents(connection, prefix);
  let done = 0;
  const oneStep = (id: string) =>
    createFunction({ id, triggers: [{ event: "bench/event" }] }, async ({ event, step }) => {
      const result = await step.run("work", () => event.data.n);
      done++;
      return result;
    });
  const result = await measure(admin, "engine (router + executor)", 2, async () => {
    const workers = await startWorkers(
      workerDepsOf(services, connection),
      createRegistry([oneStep("alpha"), oneStep("beta")]),
    );
    await waitFor(() => done === EVENTS * 2);
    // The last runs write their final status after the handler returns: let them land.
    while ((await services.queues.runs.getActiveCount()) > 0) await sleep(20);
    await workers.close();
  });
  await eventsQueue.close();
  connection.disconnect();
  await services.close();
  return result;
}

const server = await startRedisServer(PORT);
try {
  // BENCH_ONLY=engine (or floor) runs one side, e.g. under --cpu-prof.
  const only = process.env.BENCH_ONLY;
  const floors: Result[] = [];
  const engines: Result[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    if (only !== "engine") floors.push(await benchFloor(server.admin));
    await server.admin.flushall();
    if (only !== "floor") engines.push(await benchEngine(server.admin));
    await server.admin.flushall();
  }
  const best = (results: Result[]) =>
    results.reduce<Result | undefined>((a, b) => (!a || b.eventsPerSecond > a.eventsPerSecond ? b : a), undefined);
  const floor = best(floors);
  const engine = best(engines);
  console.log(
    `\n${EVENTS} events to 2 functions of 1 step each, worker concurrency ${CONCURRENCY}, private redis-server :${PORT}, best of ${ROUNDS}`,
  );
  console.table(
    [...floors, ...engines].map((result, i) => ({ ...result, name: `${result.name} #${(i % ROUNDS) + 1}` })),
  );
  if (floor && engine) {
    console.log(
      `ratio engine/floor (events/s, best of each): ${(engine.eventsPerSecond / floor.eventsPerSecond).toFixed(2)}  (goal ≥ 0.60)`,
    );
    console.log(
      `ratio engine/floor (Redis commands per event): ${(engine.commandsPerEvent / floor.commandsPerEvent).toFixed(2)}  (goal ≤ 1.2)`,
    );
  }
} finally {
  await server.stop();
}
