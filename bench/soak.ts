/**
 * npm run bench:soak — the whole path at a fixed rate for a while (default 5 minutes at 100
 * webhooks/s): signed Clerk webhooks into a bridge process (role all) whose two functions run
 * three steps each. Samples the bridge's RSS and event-loop lag from its /metrics every 10 s, and
 * prints request latency percentiles, the growth of RSS, and how long the backlog took to drain.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "ioredis";
import { spawnBridge, stopBridge } from "../test/helpers/bridge-process.ts";
import { FAULT_FUNCTIONS, FAULT_FUNCTIONS_DIR } from "../test/helpers/fault-check.ts";
import { clerkFixture, signFixture, TEST_SECRET } from "../test/helpers/sign-fixture.ts";
import { dropPrefix } from "../test/helpers/test-redis.ts";

const DURATION_S = Number(process.env.SOAK_DURATION ?? 300);
const RATE = Number(process.env.SOAK_RATE ?? 100);
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const prefix = `soak-${process.pid}`;
const key = `{${prefix}}:effects`;

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function sampleMetrics(url: string) {
  const text = await (await fetch(`${url}/metrics`)).text();
  const value = (name: string) =>
    Number(
      text
        .split("\n")
        .find((line) => line.startsWith(`${name} `))
        ?.split(" ")[1] ?? NaN,
    );
  return {
    rssMiB: value("bridge_process_resident_memory_bytes") / 2 ** 20,
    lagP99Ms: value("bridge_nodejs_eventloop_lag_p99_seconds") * 1000,
  };
}

const bridge = await spawnBridge(
  {
    REDIS_URL,
    REDIS_PREFIX: prefix,
    CLERK_WEBHOOK_SECRET: TEST_SECRET,
    FUNCTIONS: "none",
    FUNCTIONS_DIR: FAULT_FUNCTIONS_DIR,
    FAULT_REDIS_URL: REDIS_URL,
    FAULT_KEY: key,
    FAULT_STEP_MS: "1",
    RETENTION: "1h",
  },
  "all",
);
const payload = clerkFixture("user.created");
const latencies: number[] = [];
const samples: Array<{ t: number; rssMiB: number; lagP99Ms: number }> = [];
let sent = 0;
let failed = 0;
const started = Date.now();
const sampler = (async () => {
  while (Date.now() - started < DURATION_S * 1000) {
    samples.push({ t: Math.round((Date.now() - started) / 1000), ...(await sampleMetrics(bridge.url)) });
    await sleep(10_000);
  }
})();

// Fixed rate: every 100 ms, send RATE/10 webhooks without waiting for the previous batch.
const inFlight = new Set<Promise<void>>();
for (let tick = 0; Date.now() - started < DURATION_S * 1000; tick++) {
  for (let index = 0; index < RATE / 10; index++) {
    const delivery = signFixture(
      { ...payload, data: { ...(payload.data as object), id: `user_soak_${sent}` } },
      { id: `msg_soak_${sent}` },
    );
    sent++;
    const begin = performance.now();
    const request = fetch(`${bridge.url}/webhooks/clerk`, {
      method: "POST",
      headers: delivery.headers,
      body: delivery.body,
    })
      .then((response) => {
        latencies.push(performance.now() - begin);
        if (!response.ok) failed++;
        return response.arrayBuffer();
      })
      .then(
        () => undefined,
        () => void failed++,
      );
    inFlight.add(request);
    void request.finally(() => inFlight.delete(request));
  }
  await sleep(Math.max(0, started + (tick + 1) * 100 - Date.now()));
}
await Promise.all(inFlight);
await sampler;
const sendEnded = Date.now();

// The backlog: wait until every run's last step has recorded.
const redis = new Redis(REDIS_URL);
const expectedSteps = sent * FAULT_FUNCTIONS.length * 3;
let recorded = 0;
for (let wait = 0; wait < 600; wait++) {
  recorded = (await redis.hvals(`${key}:executions`)).reduce((sum, count) => sum + Number(count), 0);
  if (recorded >= expectedSteps) break;
  await sleep(1000);
}
const drainS = (Date.now() - sendEnded) / 1000;
samples.push({ t: Math.round((Date.now() - started) / 1000), ...(await sampleMetrics(bridge.url)) });

await stopBridge(bridge);
redis.disconnect();
await dropPrefix(prefix, REDIS_URL);

latencies.sort((a, b) => a - b);
const firstFull = samples.find((sample) => sample.t >= 30) ?? samples[0]!;
const last = samples.at(-1)!;
console.table(
  samples.map((sample) => ({
    ...sample,
    rssMiB: Math.round(sample.rssMiB),
    lagP99Ms: Number(sample.lagP99Ms.toFixed(1)),
  })),
);
console.log(`soak: ${DURATION_S} s at ${RATE}/s: ${sent} webhooks, ${failed} non-2xx or errors`);
console.log(
  `latency ms: p50 ${percentile(latencies, 50).toFixed(1)}, p99 ${percentile(latencies, 99).toFixed(1)}, max ${latencies.at(-1)?.toFixed(1)}`,
);
console.log(
  `steps recorded ${recorded}/${expectedSteps}; backlog drained ${drainS.toFixed(1)} s after the last webhook`,
);
console.log(
  `RSS growth after warm-up (t=${firstFull.t}s → t=${last.t}s): ${(last.rssMiB - firstFull.rssMiB).toFixed(1)} MiB (${firstFull.rssMiB.toFixed(0)} → ${last.rssMiB.toFixed(0)} MiB)`,
);
