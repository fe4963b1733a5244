/**
 * npm run bench:ingress — POST /webhooks/clerk under load (autocannon, 50 connections, 10 s) with
 * a pool of distinct, validly signed Clerk payloads, against the bridge and, in the same run, the
 * floor (express.raw + svix verify + one XADD). Prints req/s, p50/p99 latency and the ratio.
 */
import { fork } from "node:child_process";
import autocannon from "autocannon";
import { clerkFixture, clerkFixtureTypes, signFixture, TEST_SECRET } from "../test/helpers/sign-fixture.ts";
import { dropPrefix } from "../test/helpers/test-redis.ts";

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const POOL_SIZE = Number(process.env.BENCH_POOL ?? 60_000);

interface Result {
  name: string;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

function buildPool(): Array<{ body: string; headers: Record<string, string> }> {
  const payloads = clerkFixtureTypes().map((type) => clerkFixture(type));
  return Array.from({ length: POOL_SIZE }, (_, index) => {
    const payload = payloads[index % payloads.length]!;
    // Distinct ids and data, so the bridge's dedupe never short-cuts the work.
    return signFixture({ ...payload, timestamp: Date.now() }, { id: `msg_bench_${index}_${Date.now()}` });
  });
}

async function startServer(mode: "bridge" | "floor", prefix: string) {
  const child = fork(new URL("./ingress-server.ts", import.meta.url), [mode, prefix, TEST_SECRET], {
    execArgv: [
      "--import",
      "tsx",
      ...(process.env.BENCH_CPU_PROF ? ["--cpu-prof", "--cpu-prof-dir=artifacts/profiles"] : []),
    ],
    env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? "info" },
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once("message", (message) => resolve((message as { port: number }).port));
    child.once("exit", (code) => reject(new Error(`${mode} server exited with ${code}`)));
  });
  return { child, port };
}

async function load(name: string, port: number, pool: ReturnType<typeof buildPool>): Promise<Result> {
  let next = 0;
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    duration: DURATION_S,
    requests: [
      {
        method: "POST",
        path: "/webhooks/clerk",
        setupRequest: (request) => {
          const delivery = pool[next++ % pool.length]!;
          return { ...request, headers: delivery.headers, body: delivery.body };
        },
      },
    ],
  });
  return {
    name,
    requests: result.requests.total,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

async function run(mode: "bridge" | "floor", pool: ReturnType<typeof buildPool>): Promise<Result> {
  const prefix = `bench-${mode}-${process.pid}`;
  const server = await startServer(mode, prefix);
  try {
    await load(`${mode} warm-up`, server.port, pool.slice(0, 2000));
    return await load(mode, server.port, pool);
  } finally {
    server.child.disconnect();
    await dropPrefix(prefix, process.env.REDIS_URL);
  }
}

const pool = buildPool();
const floor = await run("floor", pool);
const bridge = await run("bridge", buildPool());
console.log(
  `\nPOST /webhooks/clerk, ${CONNECTIONS} connections, ${DURATION_S} s, ${POOL_SIZE} distinct signed payloads`,
);
console.table([floor, bridge].map((r) => ({ ...r, rps: Math.round(r.rps) })));
console.log(`ratio bridge/floor (req/s): ${(bridge.rps / floor.rps).toFixed(2)}  (goal ≥ 0.80)`);
if (bridge.non2xx > 0 || floor.non2xx > 0) console.log("warning: some answers were not 2xx");
