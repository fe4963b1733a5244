/**
 * npm run bench:e2e — the real workload, end to end: the bridge started as `npm start` starts it,
 * with real PostgreSQL for user-sync, a real SMTP server (in this process) for onboarding-email,
 * ONBOARDING_DELAY=1s and the shipped example function on. Phases:
 *   1. a burst of 1,000 svix-signed Clerk user.created webhooks from 50 concurrent senders;
 *   2. 100 more sign-ups at 10 events/s;
 *   3. the Event API: 5,000 then 20,000 distinct events over 50 connections (autocannon).
 * Before the bridge starts, "floor c" (bench/e2e-floor.ts: express.raw + svix verify + one BullMQ
 * add) takes the same burst and the same 20,000 events: the CPU per sign-up is reported in floor-c
 * requests, the Event API as a ratio to the floor's, both from this run.
 * Prints each measure beside its target and writes the figures to artifacts/bench-e2e-*.json.
 * Extra variables in the environment (WORKERS=...) are passed on to the bridge.
 */
import { randomBytes } from "node:crypto";
import { availableParallelism, loadavg } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import type { TestSmtpServer } from "../test/helpers/smtp-test-server.ts";
import { dropPrefix } from "../test/helpers/test-redis.ts";
import { eventsBacklog, ROOT, startWorkload, waitForReady, type BenchBridge } from "./e2e-bridge.ts";
import {
  buildSignups,
  driveEventApi,
  round,
  sendAtRate,
  sendConcurrently,
  type BeforeSend,
  type IngestResult,
  type Signup,
  type StatusCounts,
} from "./e2e-load.ts";
import { atLeast, atMost, percentile, printReport, shown, writeArtifact, type Measure } from "./e2e-report.ts";
import { findTree, readUsage, startRssSampler, type RssSampler, type TreeUsage } from "./process-tree-rss.ts";
import { trackDrips } from "./track-drips.ts";
import { FEW_ROWS, POLL_MS, watchUsers, type UsersWatch } from "./users-watch.ts";
import { measureFloorC, type FloorFigures } from "./e2e-floor.ts";

const BURST = 1000;
const SENDERS = 50;
const STEADY = 100;
const STEADY_RATE = 10;
const EVENT_API_COUNTS = [5000, 20_000];
const CONNECTIONS = 50;
/** How long a phase may take to complete before its measure is reported as not reached. */
const WAIT_MS = 60_000;
/** Tuning variables recorded in the artifact when set (all variables are passed on regardless). */
const RECORDED_VARIABLES = [
  "WORKERS",
  "WORKER_CONCURRENCY",
  "WORKER_LOCK_DURATION",
  "ROLE",
  "REDIS_URL",
  "NODE_OPTIONS",
  "BENCH_NOTE",
];

/** Epoch milliseconds with sub-millisecond resolution, comparable with the sink's Date.now(). */
const clock = () => performance.timeOrigin + performance.now();

interface Rig {
  tag: string;
  secret: string;
  eventKey: string;
  bridge: BenchBridge;
  sink: TestSmtpServer;
  watch: UsersWatch;
  sampler: RssSampler;
}

interface SignupPhase {
  startedAt: number;
  statuses: StatusCounts;
  /** Per user, ms from sending its webhook to its row being visible; null if it never was. */
  rowLatencies: number[] | null;
  lastRowAt: number | null;
  dripsDoneAt: number | null;
  /** CPU seconds all bridge processes used from the first send until every drip was done. */
  cpuSeconds: number;
}

const cleanups: Array<() => Promise<unknown>> = [];
let cleaning: Promise<void> | undefined;
/** Runs once, last registered first: the bridge stops before its Redis keys and schema go. */
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    for (const step of cleanups.reverse())
      await step().catch((error: unknown) => console.error(`cleanup: ${(error as Error).message}`));
  })();
  return cleaning;
}

async function setUp(): Promise<Rig> {
  const tag = randomBytes(4).toString("hex");
  const prefix = `bench-e2e-${tag}`;
  const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
  cleanups.push(() => dropPrefix(prefix, redisUrl));
  const started = Date.now();
  const { bridge, schema, sink, secret } = await startWorkload(redisUrl, prefix, cleanups);
  const sampler = startRssSampler(bridge.pid);
  cleanups.push(() => sampler.stop());
  await waitForReady(bridge, schema.url);
  progress(
    `bridge ready in ${((Date.now() - started) / 1000).toFixed(1)} s (pid ${bridge.pid}, schema ${schema.schema}, prefix ${prefix})`,
  );
  const watch = await watchUsers(schema.url, clock);
  cleanups.push(() => watch.close());
  const eventKey = process.env.EVENT_KEYS?.split(",")[0]?.trim() || "bench";
  return { tag, secret, eventKey, bridge, sink, watch, sampler };
}

/** Polls `check` every `everyMs`; false after WAIT_MS. Throws at once if the bridge or the watch died. */
async function waitUntil(rig: Rig, check: () => boolean | Promise<boolean>, everyMs = 20): Promise<boolean> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    if (!rig.bridge.alive()) throw new Error(`the bridge exited during the run:\n${rig.bridge.output()}`);
    if (rig.watch.error) throw new Error(`polling the users table failed: ${rig.watch.error.message}`);
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await sleep(everyMs);
  }
}

/** Sends the sign-ups with `send`, then waits for every row and every drip. */
async function runSignups(
  rig: Rig,
  signups: Signup[],
  send: (beforeSend: BeforeSend) => Promise<StatusCounts>,
): Promise<SignupPhase> {
  const sentAt = new Map<string, number>();
  const drips = trackDrips(
    rig.sink.received,
    signups.map((signup) => signup.email),
  );
  const startedAt = clock();
  const cpuBefore = await treeCpuSeconds(rig.bridge.pid);
  const statuses = await send((signup) => {
    rig.watch.expect(signup.userId);
    sentAt.set(signup.userId, clock());
  });
  const rowsDone = await waitUntil(rig, () => signups.every((signup) => rig.watch.seenAt.has(signup.userId)));
  const dripsDone = await waitUntil(rig, () => drips.update().done === signups.length);
  const rowTimes = signups.map((signup) => rig.watch.seenAt.get(signup.userId)!);
  const cpuSeconds = (await treeCpuSeconds(rig.bridge.pid)) - cpuBefore;
  return {
    cpuSeconds,
    startedAt,
    statuses,
    rowLatencies: rowsDone ? signups.map((signup, i) => rowTimes[i]! - sentAt.get(signup.userId)!) : null,
    lastRowAt: rowsDone ? Math.max(...rowTimes) : null,
    dripsDoneAt: dripsDone ? drips.update().lastDoneAt : null,
  };
}

/** CPU time (user + system) the bridge's processes have used so far. */
async function treeCpuSeconds(rootPid: number): Promise<number> {
  return (await findTree(rootPid)).reduce((sum, pid) => sum + (readUsage(pid)?.cpuSeconds ?? 0), 0);
}

async function runEventApi(rig: Rig): Promise<IngestResult[]> {
  const results: IngestResult[] = [];
  for (const count of EVENT_API_COUNTS) {
    // Each size starts from an idle bridge: the router has routed the previous phase's events.
    // Every 250 ms: each scrape costs the bridge a round of metrics collection.
    if (!(await waitUntil(rig, async () => (await eventsBacklog(rig.bridge.url)) === 0, 250)))
      progress(`the events queue did not drain within ${WAIT_MS / 1000} s`);
    results.push(
      await driveEventApi(rig.bridge.url, rig.eventKey, count, {
        label: `${rig.tag}-${count}`,
        connections: CONNECTIONS,
      }),
    );
    progress(`Event API ${count}: ${results.at(-1)!.eventsPerSecond} events/s, p99 ${results.at(-1)!.p99Ms} ms`);
  }
  return results;
}

function measuresOf(
  burst: SignupPhase,
  steady: SignupPhase,
  tree: TreeUsage,
  ingest: IngestResult[],
  floor: FloorFigures,
): Measure[] {
  const seconds = (at: number | null, from: number) => (at === null ? null : (at - from) / 1000);
  const rowsS = seconds(burst.lastRowAt, burst.startedAt);
  const dripsS = seconds(burst.dripsDoneAt, burst.startedAt);
  const latency = (phase: SignupPhase, p: number, digits = 0) => {
    const value = percentile(phase.rowLatencies ?? [], p);
    return value === null ? null : round(value, digits);
  };
  const [small, large] = ingest;
  const cpuPerSignupUs = (burst.cpuSeconds * 1e6) / BURST;
  const ratio = (value: number | undefined, base: number) =>
    value === undefined || base === 0 ? null : round(value / base, 2);
  return [
    atLeast(
      "user-sync runs/s (1,000 rows after the burst starts)",
      rowsS === null ? null : Math.round(BURST / rowsS),
      "runs/s",
      500,
      "≥ 500 (aim 650)",
    ),
    atMost("event → users row, median, during the burst", latency(burst, 50), "ms", 1000),
    atMost("event → users row, p99, during the burst", latency(burst, 99), "ms", 2000),
    atMost("all 1,000 drips (welcome, 1 s sleep, trial offer) done", dripsS === null ? null : round(dripsS, 2), "s", 3),
    shown(
      "CPU per sign-up during the burst, all bridge processes (three runs, two emails)",
      round(cpuPerSignupUs / 1000, 2),
      "ms",
    ),
    shown("floor c: CPU per webhook, driven like the burst", floor.webhookCpuUs, "µs"),
    atMost("CPU per sign-up in floor-c requests", ratio(cpuPerSignupUs, floor.webhookCpuUs), "×", 14),
    atMost("event → users row at 10 events/s, median", latency(steady, 50, 1), "ms", 20),
    atMost("peak RSS, all bridge processes together", Math.round(tree.totalMiB), "MiB", 300),
    atMost("peak RSS, largest single bridge process", Math.round(tree.processMiB), "MiB", 150),
    shown("Event API, 5,000 events: events/s", small?.eventsPerSecond ?? null, "events/s"),
    shown("Event API, 5,000 events: p99", small?.p99Ms ?? null, "ms"),
    atLeast("Event API, 20,000 events: events/s", large?.eventsPerSecond ?? null, "events/s", 7000),
    atMost("Event API, 20,000 events: p99", large?.p99Ms ?? null, "ms", 50),
    shown("floor c, 20,000 events: events/s", floor.eventApi.eventsPerSecond, "events/s"),
    shown("floor c, 20,000 events: p99", floor.eventApi.p99Ms, "ms"),
    atLeast(
      "Event API against floor c (events/s)",
      ratio(large?.eventsPerSecond, floor.eventApi.eventsPerSecond),
      "×",
      0.9,
    ),
    atMost("Event API p99 against floor c's p99", ratio(large?.p99Ms, floor.eventApi.p99Ms), "×", 2),
  ];
}

async function runBench(rig: Rig, floor: FloorFigures) {
  const label = (phase: string) => ({ label: `${rig.tag}${phase}`, secret: rig.secret });
  // One sign-up through the whole path first: workers consuming, SMTP answering, table ready.
  const warmUpSignups = buildSignups(1, label("w"));
  const warmUp = await runSignups(rig, warmUpSignups, (before) =>
    sendConcurrently(rig.bridge.url, warmUpSignups, 1, before),
  );
  if (warmUp.dripsDoneAt === null)
    throw new Error(`the warm-up sign-up did not complete within ${WAIT_MS / 1000} s:\n${rig.bridge.output()}`);

  const burstSignups = buildSignups(BURST, label("b"));
  const burst = await runSignups(rig, burstSignups, (before) =>
    sendConcurrently(rig.bridge.url, burstSignups, SENDERS, before),
  );
  progress(
    `burst: answers ${JSON.stringify(burst.statuses)}, rows ${burst.lastRowAt ? "all" : "incomplete"}, drips ${burst.dripsDoneAt ? "all" : "incomplete"}`,
  );

  const steadySignups = buildSignups(STEADY, label("s"));
  const steady = await runSignups(rig, steadySignups, (before) =>
    sendAtRate(rig.bridge.url, steadySignups, STEADY_RATE, before),
  );
  progress(`${STEADY_RATE} events/s: answers ${JSON.stringify(steady.statuses)}`);

  const ingest = await runEventApi(rig);
  const tree = await rig.sampler.stop();
  return { burst, steady, tree, ingest, floor, measures: measuresOf(burst, steady, tree, ingest, floor) };
}

function progress(message: string): void {
  console.error(`bench:e2e: ${message}`);
}

/** What the figures depend on besides the code: the machine's other work, and who used the CPU. */
function contextOf(result: Awaited<ReturnType<typeof runBench>>) {
  const benchCpu = process.cpuUsage(start.cpu);
  return {
    cores: availableParallelism(),
    loadAverage: { start: start.load, end: loadavg() },
    seconds: round((performance.now() - start.at) / 1000, 1),
    cpuSeconds: { bridge: round(result.tree.cpuSeconds, 1), bench: round((benchCpu.user + benchCpu.system) / 1e6, 1) },
    variables: Object.fromEntries(
      RECORDED_VARIABLES.filter((name) => process.env[name]).map((name) => [name, process.env[name]]),
    ),
  };
}

function notesOf(result: Awaited<ReturnType<typeof runBench>>, context: ReturnType<typeof contextOf>): string[] {
  const load = (values: number[]) => values.map((value) => value.toFixed(2)).join(", ");
  return [
    `machine: ${context.cores} cores; load average at start ${load(context.loadAverage.start)}, at end ${load(context.loadAverage.end)} (other work on the machine skews every figure)`,
    `CPU over the ${context.seconds} s run: the bridge ${context.cpuSeconds.bridge} s, this bench process (senders, SMTP sink, polling, autocannon) ${context.cpuSeconds.bench} s`,
    `webhook answers: burst ${JSON.stringify(result.burst.statuses)}, 10 events/s ${JSON.stringify(result.steady.statuses)}`,
    `row times: the users table polled every ${POLL_MS.many} ms while more than ${FEW_ROWS} rows were outstanding, every ${POLL_MS.few} ms otherwise; a row counts from the first poll that saw it (an upper bound, within one poll gap)`,
    `RSS: VmRSS of the bridge and its descendants (${result.tree.processes} process(es) at most), sampled every 100 ms over the whole run`,
    `Event API: ${CONNECTIONS} connections, one event per request, named app/bench.ping (no function listens); the 20,000 start once the router has drained the 5,000`,
  ];
}

const start = { at: performance.now(), load: loadavg(), cpu: process.cpuUsage() };
for (const [signal, code] of [
  ["SIGINT", 130],
  ["SIGTERM", 143],
] as const) {
  process.once(signal, () => {
    progress(`${signal}: cleaning up`);
    void cleanUp().finally(() => process.exit(code));
  });
}
try {
  // The floor first, before the bridge exists, so neither shares the machine with the other.
  const floor = await measureFloorC(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", randomBytes(4).toString("hex"), {
    webhooks: BURST,
    senders: SENDERS,
    events: EVENT_API_COUNTS.at(-1) as number,
    connections: CONNECTIONS,
  });
  progress(
    `floor c: ${floor.webhookCpuUs} µs of CPU per webhook (${JSON.stringify(floor.webhookStatuses)}); Event API ${floor.eventApi.eventsPerSecond} events/s, p99 ${floor.eventApi.p99Ms} ms, ${floor.eventApiCpuUs} µs per request`,
  );
  const rig = await setUp();
  const result = await runBench(rig, floor);
  const context = contextOf(result);
  const notes = notesOf(result, context);
  printReport(result.measures, notes);
  const answers = { burst: result.burst.statuses, steady: result.steady.statuses };
  const path = await writeArtifact(ROOT, {
    at: new Date().toISOString(),
    node: process.version,
    ...context,
    measures: result.measures,
    tree: result.tree,
    eventApi: result.ingest,
    floorC: result.floor,
    answers,
  });
  console.log(`figures written to ${path}`);
} catch (error) {
  // After Ctrl-C the run fails as its bridge goes away: that is not worth a stack trace.
  if (!cleaning) console.error(`bench:e2e failed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
// Keep-alive sockets of the senders would hold the process for a few seconds more.
process.exit();
