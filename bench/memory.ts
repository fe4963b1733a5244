/**
 * npm run bench:memory — what the bridge leaves in Redis per event, for the README's sizing rule.
 * The bridge runs as `npm start` runs it, on a redis-server of the bench's own (so `used_memory`
 * counts only the bridge), with real PostgreSQL, an SMTP sink and ONBOARDING_DELAY=1s:
 *   1. 1,000 svix-signed user.created webhooks (user-sync, onboarding-email and the example
 *      function all run to completion);
 *   2. 1,000 session.created webhooks (an event no built-in takes: the event and its indexes).
 * After each phase, once every queue is idle: the growth of `used_memory`, and MEMORY USAGE of every
 * key grouped by kind. Streams (the queues' event streams, the deliveries log) are capped by length,
 * not by event count, so they are shown apart and left out of the per-event figure.
 * Measured twice: with Redis's defaults, and with hash-max-listpack-value raised as the README
 * recommends (BENCH_REDIS_ARGS="--flag value ..." measures one setting of your choice instead).
 * Extra variables in the environment (WORKERS=..., RETENTION=...) are passed on to the bridge.
 */
import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { Redis } from "ioredis";
import { freePort } from "../test/helpers/private-redis.ts";
import { clerkFixture, signFixture } from "../test/helpers/sign-fixture.ts";
import type { TestSmtpServer } from "../test/helpers/smtp-test-server.ts";
import { startWorkload, waitForReady, type BenchBridge } from "./e2e-bridge.ts";
import { buildSignups, sendConcurrently, type Signup } from "./e2e-load.ts";
import { PACKED_HASH_VALUE_BYTES } from "../src/redis/check-redis-memory.ts";
import { startRedisServer } from "./redis-server.ts";
import { trackDrips } from "./track-drips.ts";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1000);
const SENDERS = 50;
const WAIT_MS = 120_000;
const KIB = 1024;

interface KeyKind {
  kind: string;
  keys: number;
  bytes: number;
}

interface Footprint {
  usedMemory: number;
  streamBytes: number;
  kinds: Map<string, KeyKind>;
}

const cleanups: Array<() => Promise<unknown>> = [];

/** Redis's defaults, then the setting the README recommends; BENCH_REDIS_ARGS measures other settings. */
const SETTINGS: Array<[string, string[]]> = process.env.BENCH_REDIS_ARGS
  ? [[process.env.BENCH_REDIS_ARGS, process.env.BENCH_REDIS_ARGS.split(" ").filter(Boolean)]]
  : [
      ["Redis's defaults", []],
      [
        `hash-max-listpack-value ${PACKED_HASH_VALUE_BYTES}`,
        ["--hash-max-listpack-value", String(PACKED_HASH_VALUE_BYTES)],
      ],
    ];

async function main(): Promise<void> {
  for (const [label, settings] of SETTINGS) {
    console.log(`\n## ${label}`);
    await measure(settings);
    for (const step of cleanups.splice(0).reverse()) await step();
  }
}

async function measure(settings: string[]): Promise<void> {
  const redis = await startRedisServer(await freePort(), settings);
  cleanups.push(() => redis.stop());
  const { bridge, schema, sink, secret } = await startWorkload(redis.url, "bridge", cleanups);
  await waitForReady(bridge, schema.url);
  const tag = randomBytes(3).toString("hex");

  // One sign-up first, so queues, indexes and scripts that exist once are not counted per event.
  await signUp(bridge, sink, buildSignups(1, { label: `${tag}w`, secret }));
  await waitForIdle(bridge);
  const before = await footprint(redis.admin);

  await signUp(bridge, sink, buildSignups(EVENTS, { label: `${tag}b`, secret }));
  await waitForIdle(bridge);
  const afterSignups = await footprint(redis.admin);

  const statuses = await sendConcurrently(bridge.url, buildSessions(EVENTS, tag, secret), SENDERS, () => {});
  if (statuses["200"] !== EVENTS) throw new Error(`session.created answers: ${JSON.stringify(statuses)}`);
  await waitForIdle(bridge);
  const afterSessions = await footprint(redis.admin);

  report(
    "user.created (user-sync, onboarding-email and the example function, all completed)",
    before,
    afterSignups,
    100_000,
    "sign-ups",
  );
  report("session.created (no function takes it)", afterSignups, afterSessions, 1_000_000, "session.created events");
}

/** Sends the sign-ups and waits until every one has its two emails. */
async function signUp(bridge: BenchBridge, sink: TestSmtpServer, signups: Signup[]): Promise<void> {
  const drips = trackDrips(
    sink.received,
    signups.map((signup) => signup.email),
  );
  const statuses = await sendConcurrently(bridge.url, signups, SENDERS, () => {});
  if (statuses["200"] !== signups.length) throw new Error(`user.created answers: ${JSON.stringify(statuses)}`);
  await waitFor(bridge, async () => drips.update().done === signups.length, "every drip");
}

/** Distinct session.created webhooks, built from Clerk's fixture. */
function buildSessions(count: number, tag: string, secret: string) {
  const fixture = clerkFixture("session.created");
  return Array.from({ length: count }, (_, index) => {
    const now = Date.now();
    const payload = {
      ...fixture,
      timestamp: now,
      data: {
        ...(fixture.data as object),
        id: `sess_bench_${tag}_${index}`,
        user_id: `user_bench_${tag}b_${index}`,
        created_at: now,
        updated_at: now,
      },
    };
    return { userId: "", email: "", delivery: signFixture(payload, { id: `msg_bench_${tag}_s${index}`, secret }) };
  });
}

/** Every queue idle (nothing waiting, active, delayed or prioritized), twice in a row 200 ms apart. */
async function waitForIdle(bridge: BenchBridge): Promise<void> {
  const busy = async () => {
    const text = await (await fetch(`${bridge.url}/metrics`)).text();
    const depth = /^bridge_queue_jobs\{queue="[^"]+",state="(?:waiting|active|prioritized|delayed)"\} (\d+)/gm;
    return [...text.matchAll(depth)].reduce((sum, match) => sum + Number(match[1]), 0);
  };
  let idleTimes = 0;
  await waitFor(
    bridge,
    async () => ((await busy()) === 0 ? ++idleTimes >= 2 : ((idleTimes = 0), false)),
    "idle queues",
    200,
  );
}

async function waitFor(bridge: BenchBridge, check: () => Promise<boolean>, what: string, everyMs = 50): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!(await check())) {
    if (!bridge.alive()) throw new Error(`the bridge exited:\n${bridge.output()}`);
    if (Date.now() > deadline) throw new Error(`${what}: not within ${WAIT_MS / 1000} s`);
    await sleep(everyMs);
  }
}

/** used_memory, and every key's MEMORY USAGE grouped by its kind (ids replaced by `*`). */
async function footprint(admin: Redis): Promise<Footprint> {
  const kinds = new Map<string, KeyKind>();
  let streamBytes = 0;
  let cursor = "0";
  do {
    const [next, keys] = await admin.scan(cursor, "COUNT", 1000);
    cursor = next;
    const pipeline = admin.pipeline();
    for (const key of keys) pipeline.type(key).memory("USAGE", key, "SAMPLES", "0");
    const answers = (await pipeline.exec()) ?? [];
    keys.forEach((key, i) => {
      const type = answers[i * 2]![1] as string;
      const bytes = Number(answers[i * 2 + 1]![1] ?? 0);
      if (type === "stream") return void (streamBytes += bytes);
      const kind = kindOf(key);
      const entry = kinds.get(kind) ?? { kind, keys: 0, bytes: 0 };
      entry.keys++;
      entry.bytes += bytes;
      kinds.set(kind, entry);
    });
  } while (cursor !== "0");
  const info = await admin.info("memory");
  return { usedMemory: Number(/^used_memory:(\d+)/m.exec(info)![1]), streamBytes, kinds };
}

/** `{bridge}:run:01J…` → `run:*`: a segment that carries an id or a digest becomes `*`. */
function kindOf(key: string): string {
  const segments = key.replace(/^\{[^}]*\}:?/, "").split(":");
  return segments.map((segment) => (segment.length >= 16 || /\d{2,}|_/.test(segment) ? "*" : segment)).join(":");
}

function report(title: string, before: Footprint, after: Footprint, scale: number, unit: string): void {
  const grown = after.usedMemory - before.usedMemory;
  const streams = after.streamBytes - before.streamBytes;
  const perEvent = (grown - streams) / EVENTS;
  console.log(`\n${title}: ${EVENTS.toLocaleString("en-US")} events`);
  const rows = [...after.kinds.values()]
    .map((entry) => {
      const was = before.kinds.get(entry.kind) ?? { keys: 0, bytes: 0 };
      return { kind: entry.kind, keys: entry.keys - was.keys, bytes: entry.bytes - was.bytes };
    })
    .filter((row) => row.keys !== 0 || Math.abs(row.bytes) >= 1024)
    .sort((a, b) => b.bytes - a.bytes);
  console.log("| keys of the kind | new keys | bytes per event |\n| --- | --- | --- |");
  for (const row of rows)
    console.log(
      `| \`${row.kind}\` | ${row.keys.toLocaleString("en-US")} | ${Math.round(row.bytes / EVENTS).toLocaleString("en-US")} |`,
    );
  console.log(
    `used_memory grew ${(grown / KIB / KIB).toFixed(2)} MiB, of which streams (capped by length) ${(streams / KIB / KIB).toFixed(2)} MiB`,
  );
  console.log(`per event, streams left out: ${(perEvent / KIB).toFixed(2)} KiB`);
  console.log(
    `sizing: ${scale.toLocaleString("en-US")} ${unit} kept for RETENTION ≈ ${((perEvent * scale) / KIB / KIB / KIB).toFixed(2)} GiB`,
  );
}

try {
  await main();
} catch (error) {
  console.error(`bench:memory failed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exitCode = 1;
} finally {
  for (const step of cleanups.reverse())
    await step().catch((error: unknown) => console.error(`cleanup: ${(error as Error).message}`));
}
process.exit();
