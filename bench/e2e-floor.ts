/**
 * Floor c in the same run as bench:e2e (bench/floor-c-server.ts), driven as the bridge is: the
 * same kind of signed sign-ups from the same number of senders, then the same Event API load. Its
 * CPU per request is the unit the bridge's CPU per sign-up is reported in.
 */
import { fork } from "node:child_process";
import { TEST_SECRET } from "../test/helpers/sign-fixture.ts";
import { dropPrefix } from "../test/helpers/test-redis.ts";
import {
  buildSignups,
  driveEventApi,
  round,
  sendConcurrently,
  type IngestResult,
  type StatusCounts,
} from "./e2e-load.ts";
import { readUsage } from "./process-tree-rss.ts";

export interface FloorFigures {
  /** CPU of the floor's process per webhook, driven like the burst (µs). */
  webhookCpuUs: number;
  webhookStatuses: StatusCounts;
  /** The Event API load of the bridge's largest phase, on the floor. */
  eventApi: IngestResult;
  /** CPU of the floor's process per Event API request under autocannon (µs). */
  eventApiCpuUs: number;
}

export async function measureFloorC(
  redisUrl: string,
  tag: string,
  options: { webhooks: number; senders: number; events: number; connections: number },
): Promise<FloorFigures> {
  const prefix = `bench-floor-${tag}`;
  const child = fork(new URL("./floor-c-server.ts", import.meta.url), [prefix, TEST_SECRET], {
    execArgv: ["--import", "tsx"],
    env: { ...process.env, REDIS_URL: redisUrl },
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      child.once("message", (message) => resolve((message as { port: number }).port));
      child.once("exit", (code) => reject(new Error(`the floor server exited with ${code}`)));
    });
    const url = `http://127.0.0.1:${port}`;
    const cpu = () => readUsage(child.pid as number)?.cpuSeconds ?? 0;
    const label = (phase: string) => ({ label: `floor${tag}${phase}`, secret: TEST_SECRET });
    // A warm-up of each path first, as the bridge gets its warm-up sign-up.
    await sendConcurrently(url, buildSignups(200, label("w")), options.senders, () => {});
    await driveEventApi(url, "floor", 2000, { label: `floor${tag}-w`, connections: options.connections });

    const signups = buildSignups(options.webhooks, label("b"));
    const beforeWebhooks = cpu();
    const webhookStatuses = await sendConcurrently(url, signups, options.senders, () => {});
    const webhookCpuUs = ((cpu() - beforeWebhooks) * 1e6) / options.webhooks;

    const beforeEvents = cpu();
    const eventApi = await driveEventApi(url, "floor", options.events, {
      label: `floor${tag}`,
      connections: options.connections,
    });
    const eventApiCpuUs = ((cpu() - beforeEvents) * 1e6) / options.events;
    return { webhookCpuUs: round(webhookCpuUs), webhookStatuses, eventApi, eventApiCpuUs: round(eventApiCpuUs) };
  } finally {
    child.disconnect();
    await dropPrefix(prefix, redisUrl);
  }
}
