/**
 * npm run bench:waiters — routing an event must cost O(matching waiters), not O(all waiters).
 * For each P (BENCH_PENDING, default 100 and 100,000), on a private redis-server: P pending
 * onboarding runs (a step, then a 3-day sleep, cancelOn clerk/user.deleted matched on data.id)
 * and P payment runs waiting for app/order.paid (waitForEvent with a match), plus the runs the
 * bench settles. Then K (BENCH_EVENTS, default 200) events of each kind:
 *   - clerk/user.deleted for a user with a pending run (each cancels exactly that run);
 *   - clerk/user.updated (no waiter, no function);
 *   - app/order.paid for a waiting order (each resumes exactly that run);
 * first one at a time after a warm-up (latency: from the send to the run cancelled, or to the event
 * routed), then K at once (throughput, Redis commands and CPU per event until the workers are idle again,
 * the cancelled or resumed runs' wind-up included). Prints each P side by side with the ratio,
 * and the Redis memory of the waiter keys per pending run.
 */
import { loadavg } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import type { Redis } from "ioredis";
import type { EventDraft } from "../src/events/accept-events.ts";
import { bridgeKeys } from "../src/redis/keys.ts";
import { percentile } from "./e2e-report.ts";
import { commandsExecuted, redisCpu, startRedisServer } from "./redis-server.ts";
import { fillPending, onboardingRun, orderCreated, orderPaid, paymentRun, signUp, startWaiterRig, userDeleted, userUpdated, type WaiterRig } from "./waiters-rig.ts";

const PENDING = (process.env.BENCH_PENDING ?? "100,100000").split(",").map(Number);
const K = Number(process.env.BENCH_EVENTS ?? 200);
/** Events of each kind sent one at a time before the latency is measured, so the code is warm. */
const WARM_UP = Math.max(20, Math.round(K / 4));
/** Runs of each function the bench settles: the warm-up's, then the latency's, then the bulk's. */
const TARGETS = WARM_UP + 2 * K;
const PORT = Number(process.env.BENCH_REDIS_PORT ?? 6490 + (process.pid % 100));
const PREFIX = "bench-waiters";

type Figures = Record<string, number>;

interface Kind {
  name: string;
  /** The k-th event of this kind, and what marks it done: the run cancelled, or the event routed. */
  draft(k: number): EventDraft;
  done(rig: WaiterRig, k: number): Promise<number>;
}

const kinds: Kind[] = [
  { name: "user.deleted (cancels 1 run)", draft: (k) => userDeleted(`d-${k}`, `target_${k}`), done: (rig, k) => rig.cancelled.when(onboardingRun(`tc-${k}`)) },
  { name: "user.updated (no waiter)", draft: (k) => userUpdated(`u-${k}`, `user_${k}`), done: (rig, k) => rig.routed.when(`u-${k}`) },
  { name: "order.paid (resumes 1 wait)", draft: (k) => orderPaid(`p-${k}`, `target_order_${k}`), done: (rig, k) => rig.routed.when(`p-${k}`) },
];

/** P bystanders of each function, and the targets of each. */
function pendingDrafts(pending: number): EventDraft[] {
  const drafts: EventDraft[] = [];
  for (let i = 0; i < pending; i++) drafts.push(signUp(`c-${i}`, `user_${i}`), orderCreated(`o-${i}`, `order_${i}`));
  for (let k = 0; k < TARGETS; k++) drafts.push(signUp(`tc-${k}`, `target_${k}`), orderCreated(`to-${k}`, `target_order_${k}`));
  return drafts;
}

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
    const [e, r] = await Promise.all([events.getJobCounts("waiting", "active", "delayed"), runs.getJobCounts("waiting", "active", "prioritized")]);
    if (Object.values(e).every((n) => n === 0) && Object.values(r).every((n) => n === 0)) return;
    await sleep(250);
  }
}

/** Sends the events of targets [from, to) one at a time; the time each took to be done. */
async function oneAtATime(rig: WaiterRig, kind: Kind, from: number, to: number): Promise<number[]> {
  const latencies: number[] = [];
  for (let k = from; k < to; k++) {
    const sent = performance.now();
    await rig.send([kind.draft(k)]);
    latencies.push((await kind.done(rig, k)) - sent);
  }
  return latencies;
}

async function measureBulk(admin: Redis, rig: WaiterRig, kind: Kind): Promise<Figures> {
  await waitIdle(rig);
  const commandsBefore = await commandsExecuted(admin);
  const cpuBefore = await redisCpu(admin);
  const sent = performance.now();
  const batch = Array.from({ length: K }, (_, i) => WARM_UP + K + i);
  await rig.send(batch.map((k) => kind.draft(k)));
  const lastDone = Math.max(...(await Promise.all(batch.map((k) => kind.done(rig, k)))));
  await waitIdle(rig);
  const commands = (await commandsExecuted(admin)) - commandsBefore;
  const cpu = (await redisCpu(admin)) - cpuBefore;
  return { "events/s": Math.round((K * 1000) / (lastDone - sent)), "Redis commands/event": Number((commands / K).toFixed(1)), "Redis CPU µs/event": Math.round((cpu * 1e6) / K) };
}

/** What each event did, checked: the targets settled, every bystander still pending. */
async function checkOutcome(rig: WaiterRig, pending: number): Promise<void> {
  const { queries } = rig.services.runs;
  for (let k = 0; k < TARGETS; k++) {
    const [cancelled, paid] = await Promise.all([queries.getRun(onboardingRun(`tc-${k}`)), queries.getRun(paymentRun(`to-${k}`))]);
    if (cancelled?.status !== "cancelled" || paid?.status !== "completed" || paid.output !== "paid") throw new Error(`target ${k}: onboarding ${cancelled?.status}, payment ${paid?.status}`);
  }
  const delayed = await rig.services.queues.runs.getDelayedCount();
  if (delayed !== 2 * pending) throw new Error(`${delayed} runs still suspended; the ${2 * pending} bystanders expected`);
  for (const i of [0, Math.floor(pending / 2), pending - 1]) {
    const [sleeping, waiting] = await Promise.all([queries.getRun(onboardingRun(`c-${i}`)), queries.getRun(paymentRun(`o-${i}`))]);
    if (sleeping?.status !== "sleeping" || waiting?.status !== "waiting") throw new Error(`bystander ${i}: ${sleeping?.status}, ${waiting?.status}`);
  }
}

async function benchPending(admin: Redis, url: string, pending: number): Promise<Figures> {
  await admin.flushall();
  const rig = await startWaiterRig(url, PREFIX);
  const figures: Figures = {};
  try {
    const memoryBefore = await usedMemory(admin);
    const runs = 2 * (pending + TARGETS);
    console.log(`P=${pending}: creating ${runs.toLocaleString("en-US")} pending runs...`);
    const fillSeconds = await fillPending(rig, pendingDrafts(pending), runs);
    figures["fill: pending runs/s"] = Math.round(runs / fillSeconds);
    const keys = bridgeKeys(PREFIX);
    const cancels = await keysMemory(admin, keys.matchWaiters("clerk/user.deleted", "data.id", "*"));
    const waits = await keysMemory(admin, keys.matchWaiters("app/order.paid", "data.orderId", "*"));
    figures["memory: cancelOn waiter bytes/run"] = Math.round(cancels.bytes / (runs / 2));
    figures["memory: waitForEvent waiter bytes/run"] = Math.round(waits.bytes / (runs / 2));
    figures["memory: Redis bytes/pending run (all)"] = Math.round(((await usedMemory(admin)) - memoryBefore) / runs);
    if (cancels.keys !== runs / 2 || waits.keys !== runs / 2) throw new Error(`waiter keys: ${cancels.keys} cancelOn, ${waits.keys} waits; ${runs / 2} of each expected`);
    await rig.listen();
    for (const kind of kinds) await oneAtATime(rig, kind, 0, WARM_UP);
    for (const kind of kinds) {
      const latencies = await oneAtATime(rig, kind, WARM_UP, WARM_UP + K);
      figures[`${kind.name}: latency median ms`] = Number(percentile(latencies, 50)?.toFixed(2));
      figures[`${kind.name}: latency p99 ms`] = Number(percentile(latencies, 99)?.toFixed(2));
    }
    for (const kind of kinds) {
      for (const [measure, value] of Object.entries(await measureBulk(admin, rig, kind))) figures[`${kind.name}: ${K} at once, ${measure}`] = value;
    }
    await waitIdle(rig);
    await checkOutcome(rig, pending);
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
  console.log(`\n${K} events of each kind (after ${WARM_UP} to warm up); P pending onboarding runs and P pending waits, besides the ${TARGETS} of each the events settle; private redis-server :${PORT}`);
  printComparison(results);
} finally {
  await server.stop();
}
