/**
 * npm run bench:flood — good webhooks' latency while one address floods the bridge with
 * deliveries whose signature does not check out (issue 19: about 1,000 a second raised good
 * webhooks' p50 from 4 to 48 ms). Runs the real receiver (bench/ingress-server.ts) and two
 * autocannon loads at once: valid deliveries at a steady rate, and forged ones at FLOOD_RATE a
 * second from the same address. Prints the good deliveries' p50/p99 alone and under the flood.
 */
import { fork } from "node:child_process";
import autocannon from "autocannon";
import { clerkFixture, signFixture, TEST_SECRET } from "../test/helpers/sign-fixture.ts";
import { dropPrefix } from "../test/helpers/test-redis.ts";

const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const GOOD_RATE = Number(process.env.GOOD_RATE ?? 200);
const FLOOD_RATE = Number(process.env.FLOOD_RATE ?? 1000);

async function startBridge(prefix: string) {
  const child = fork(new URL("./ingress-server.ts", import.meta.url), ["bridge", prefix, TEST_SECRET], {
    execArgv: ["--import", "tsx"],
    env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? "info" },
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once("message", (message) => resolve((message as { port: number }).port));
    child.once("exit", (code) => reject(new Error(`bridge exited with ${code}`)));
  });
  return { child, port };
}

function good(port: number, tag: string) {
  let next = 0;
  return autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: 10,
    overallRate: GOOD_RATE,
    duration: DURATION_S,
    requests: [
      {
        method: "POST",
        path: "/webhooks/clerk",
        setupRequest: (request) => ({
          ...request,
          ...signFixture({ ...clerkFixture("user.created"), timestamp: Date.now() }, { id: `msg_${tag}_${next++}` }),
        }),
      },
    ],
  });
}

function flood(port: number) {
  const forged = signFixture(clerkFixture("user.created"), {
    secret: `whsec_${Buffer.alloc(24, 7).toString("base64")}`,
  });
  return autocannon({
    url: `http://127.0.0.1:${port}/webhooks/clerk`,
    connections: 20,
    overallRate: FLOOD_RATE,
    duration: DURATION_S,
    method: "POST",
    headers: forged.headers,
    body: forged.body,
  });
}

const prefix = `bench-flood-${process.pid}`;
const bridge = await startBridge(prefix);
try {
  await good(bridge.port, "warm");
  const alone = await good(bridge.port, "alone");
  const [underFlood, forged] = await Promise.all([good(bridge.port, "flood"), flood(bridge.port)]);
  const row = (name: string, result: autocannon.Result) => ({
    name,
    requests: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
  });
  console.log(
    `\nvalid deliveries at ${GOOD_RATE}/s, ${DURATION_S} s; forged ones at ${FLOOD_RATE}/s from the same address`,
  );
  console.table([row("valid, alone", alone), row("valid, under the flood", underFlood), row("forged", forged)]);
  console.log("forged answers:", JSON.stringify(forged.statusCodeStats));
} finally {
  bridge.child.disconnect();
  await dropPrefix(prefix, process.env.REDIS_URL);
}
