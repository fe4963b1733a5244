/**
 * npm run bench:waiters — routing an event must cost O(matching waiters), not O(all waiters).
 * For each P (BENCH_PENDING, default 100 and 100,000), on a private redis-server: P pending
 * onboarding runs (a step, then a 3-day sleep, cancelOn clerk/user.deleted matched on data.id)
 * and P payment runs waiting for app/order.paid (waitForEvent with a match). Then, in phases,
 * K (BENCH_EVENTS, default 200) target runs of each function are added and settled by events:
 *   - clerk/user.updated for those users (no waiter, no function);
 *   - clerk/user.deleted for those users (each cancels exactly its user's run);
 *   - app/order.paid for those orders (each resumes exactly its order's run);
 * one at a time after a warm-up (latency: from the send to the run cancelled, or to the event
 * routed), then K at once, BENCH_ROUNDS times (throughput, Redis commands and CPU per event until
 * the workers are idle again, the settled runs' wind-up included; the best round is kept, as the
 * 2-core machine is shared). Prints each P side by side with the ratio, and the Redis memory of
 * the waiter keys per pending run.
 */
import { loadavg } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import type { Redis } from "ioredis";
import type { EventDraft } from "../src/events/accept-events.ts";
import { bridgeKeys } from "../src/redis/keys.ts";
import { percentile } from "./e2e-report.ts";
import { commandsExecuted, redisCpu, startRedisServer } from "./redis-server.ts";
import {
  fillPending,
  onboardingRun,
  orderCreated,
  orderPaid,
  paymentRun,
  signUp,
  startWaiterRig,
  userDeleted,
  userUpdated,
  type WaiterRig,
} from "./waiters-rig.ts";

const PENDING = (process.env.BENCH_PENDING ?? "100,100000").split(",").map(Number);
const K = Number(process.env.BENCH_EVENTS ?? 200);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** Events of each kind sent one at a time before the latency is measured, so the code is warm. */
const WARM_UP = Math.max(20, Math.round(K / 4));
const PORT = Number(process.env.BENCH_REDIS_PORT ?? 6490 + (process.pid % 100));
const PREFIX = "bench-waiters";

type Figures = Record<string, number>;

interface Kind {
  name: string;
  /** The event for target k, and what marks it done: the run cancelled, or the event routed. */
  draft(k: number): EventDraft;
  done(rig: WaiterRig, k: number): Promise<number>;
}

const kinds: Kind[] = [
  {
    name: "user.updated (no waiter)",
    draft: (k) => userUpdated(`u-${k}`, `target_${k}`),
    done: (rig, k) => rig.routed.when(`u-${k}`),
  },
  {
    name: "user.deleted (cancels 1 run)",
    draft: (k) => userDeleted(`d-${k}`, `target_${k}`),
    done: (rig, k) => rig.cancelled.when(onboardingRun(`tc-${k}`)),
  },
  {
    name: "order.paid (resumes 1 wait)",
    draft: (k) => orderPaid(`p-${k}`, `target_order_${k}`),
    done: (rig, k) => rig.routed.when(`p-${k}`),
  },
];

async function usedMemory(admin: Redis): Promise<number> {
  return Number(/^used_memory:(\d+)/m.exec(await admin.info("memory"))?.[1] ?? 0);
}

/** Bytes (MEMORY USAGE) of the keys matching a pattern, and how many there are. */
async function keysMemory(admin: Redis, pattern: string): Promise<{ keys: number; bytes: number }> {
  let cursor = "0";
  let keys = 0;
  let bytes = 0;
  do {
    const [next, batch] = await admin.scan(cursor, "MATCH", pattern, "COUNT", 1000);
    cursor = next;
    const pipeline = admin.pipeline();
    for (const key of batch) pipeline.memory("USAGE", key, "SAMPLES", "0");
    for (const [, size] of (await pipeline.exec()) ?? []) bytes += Number(size ?? 0);
    keys += batch.length;
  } while (cursor !== "0");
  return { keys, bytes };
}

/** Until nothing is left to route or run (the settled runs wound up, their system events routed). */
async function waitIdle(rig: WaiterRig): Promise<void> {
  for (;;) {
    const { events, runs } = rig.services.queues;
    const [e, r] = await Promise.all([
      events.getJobCounts("waiting", "active", "delayed"),
      runs.getJobCounts("waiting", "active", "prioritized"),
    ]);
    if (Object.values(e).every((n) => n === 0) && Object.values(r).every((n) => n === 0)) return;
    await sleep(250);
  }
}

/**
 * Adds `count` targets (a sign-up and an order each, so a pending run of each function), beside
 * the P bystanders; returns their indexes.
 */
function createTargets(pending: number) {
  let next = 0;
  return async (rig: WaiterRig, count: number): Promise<number[]> => {
    const indexes = Array.from({ length: count }, (_, i) => next + i);
    next += count;
    await fillPending(
      rig,
      indexes.flatMap((k) => [signUp(`tc-${k}`, `target_${k}`), orderCreated(`to-${k}`, `target_order_${k}`)]),
      2 * (pending + count),
    );
    return indexes;
  };
}

/** Sends one event per target, one at a time; the time each took to be done. */
async function oneAtATime(rig: WaiterRig, kind: Kind, targets: number[]): Promise<number[]> {
  const latencies: number[] = [];
  for (const k of targets) {
    const sent = performance.now();
    await rig.send([kind.draft(k)]);
    latencies.push((await kind.done(rig, k)) - sent);
  }
  return latencies;
}

async function allAtOnce(admin: Redis, rig: WaiterRig, kind: Kind, targets: number[]): Promise<Figures> {
  await waitIdle(rig);
  const commandsBefore = await commandsExecuted(admin);
  const cpuBefore = await redisCpu(admin);
  const sent = performance.now();
  await rig.send(targets.map((k) => kind.draft(k)));
  const lastDone = Math.max(...(await Promise.all(targets.map((k) => kind.done(rig, k)))));
  await waitIdle(rig);
  const commands = (await commandsExecuted(admin)) - commandsBefore;
  const cpu = (await redisCpu(admin)) - cpuBefore;
  return {
    "events/s": Math.round((targets.length * 1000) / (lastDone - sent)),
    "Redis commands/event": Number((commands / targets.length).toFixed(1)),
    "Redis CPU µs/event": Math.round((cpu * 1e6) / targets.length),
  };
}

/** What the events did, checked: every target settled, every bystander still pending. */
async function checkOutcome(rig: WaiterRig, pending: number, targets: number): Promise<void> {
  const { queries } = rig.services.runs;
  for (let k = 0; k < targets; k++) {
    const [cancelled, paid] = await Promise.all([
      queries.getRun(onboardingRun(`tc-${k}`)),
      queries.getRun(paymentRun(`to-${k}`)),
    ]);
    if (cancelled?.status !== "cancelled" || paid?.status !== "completed" || paid.output !== "paid")
      throw new Error(`target ${k}: onboarding ${cancelled?.status}, payment ${paid?.status}`);
  }
  const delayed = await rig.services.queues.runs.getDelayedCount();
  if (delayed !== 2 * pending)
    throw new Error(`${delayed} runs still suspended; the ${2 * pending} bystanders expected`);
  for (const i of [0, Math.floor(pending / 2), pending - 1]) {
    const [sleeping, waiting] = await Promise.all([
      queries.getRun(onboardingRun(`c-${i}`)),
      queries.getRun(paymentRun(`o-${i}`)),
    ]);
    if (sleeping?.status !== "sleeping" || waiting?.status !== "waiting")
      throw new Error(`bystander ${i}: ${sleeping?.status}, ${waiting?.status}`);
  }
}

/** Fills P bystanders of each function; the fill rate and the memory they take. */
async function fillBystanders(admin: Redis, rig: WaiterRig, pending: number): Promise<Figures> {
  const memoryBefore = await usedMemory(admin);
  console.log(`P=${pending}: creating ${(2 * pending).toLocaleString("en-US")} pending runs...`);
  const drafts = Array.from({ length: pending }, (_, i) => [
    signUp(`c-${i}`, `user_${i}`),
    orderCreated(`o-${i}`, `order_${i}`),
  ]).flat();
  const seconds = await fillPending(rig, drafts, 2 * pending);
  const keys = bridgeKeys(PREFIX);
  const cancels = await keysMemory(admin, keys.matchWaiters("clerk/user.deleted", "data.id", "*"));
  const waits = await keysMemory(admin, keys.matchWaiters("app/order.paid", "data.orderId", "*"));
  if (cancels.keys !== pending || waits.keys !== pending)
    throw new Error(`waiter keys: ${cancels.keys} cancelOn, ${waits.keys} waits; ${pending} of each expected`);
  return {
    "fill: pending runs/s": Math.round((2 * pending) / seconds),
    "memory: cancelOn waiter bytes/run": Math.round(cancels.bytes / pending),
    "memory: waitForEvent waiter bytes/run": Math.round(waits.bytes / pending),
    "memory: Redis bytes/pending run (all)": Math.round(((await usedMemory(admin)) - memoryBefore) / (2 * pending)),
  };
}

async function benchPending(admin: Redis, url: string, pending: number): Promise<Figures> {
  await admin.flushall();
  const rig = await startWaiterRig(url, PREFIX);
  try {
    const figures = await fillBystanders(admin, rig, pending);
    const addTargets = createTargets(pending);
    await rig.listen();
    const warmUp = await addTargets(rig, WARM_UP);
    for (const kind of kinds) await oneAtATime(rig, kind, warmUp);
    const measured = await addTargets(rig, K);
    for (const kind of kinds) {
      const latencies = await oneAtATime(rig, kind, measured);
      figures[`${kind.name}: latency median ms`] = Number(percentile(latencies, 50)?.toFixed(2));
      figures[`${kind.name}: latency p99 ms`] = Number(percentile(latencies, 99)?.toFixed(2));
    }
    for (let round = 0; round < ROUNDS; round++) {
      const targets = await addTargets(rig, K);
      for (const kind of kinds) {
        for (const [measure, value] of Object.entries(await allAtOnce(admin, rig, kind, targets))) {
          const name = `${kind.name}: ${K} at once, ${measure}`;
          const best = measure === "events/s" ? Math.max : Math.min;
          figures[name] = round === 0 ? value : best(figures[name] as number, value);
        }
      }
    }
    await waitIdle(rig);
    await checkOutcome(rig, pending, WARM_UP + K * (1 + ROUNDS));
    return figures;
  } finally {
    await rig.close();
  }
}

function printComparison(results: Array<{ pending: number; figures: Figures }>): void {
  const first = results[0];
  const last = results[results.length - 1];
  if (!first || !last) return;
  const rows = Object.keys(first.figures).map((measure) => {
    const row: Record<string, string> = { measure };
    for (const { pending, figures } of results) row[`P=${pending.toLocaleString("en-US")}`] = String(figures[measure]);
    const ratio = (last.figures[measure] ?? 0) / (first.figures[measure] ?? 1);
    row[results.length > 1 ? "ratio (last/first)" : "ratio"] = Number.isFinite(ratio) ? ratio.toFixed(2) : "—";
    return row;
  });
  console.table(rows);
}

const server = await startRedisServer(PORT);
try {
  const results: Array<{ pending: number; figures: Figures }> = [];
  for (const pending of PENDING) {
    results.push({ pending, figures: await benchPending(server.admin, server.url, pending) });
    console.log(`P=${pending}: done (load average ${loadavg()[0]?.toFixed(1)})`);
  }
  console.log(
    `\nP pending onboarding runs and P pending waits, plus the ${K} targets of each being settled; ${K} events of each kind (after ${WARM_UP} to warm up); best of ${ROUNDS} rounds at once; private redis-server :${PORT}`,
  );
  printComparison(results);
} finally {
  await server.stop();
}
