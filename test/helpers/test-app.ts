import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { Writable } from "node:stream";
import { loadConfig, type Config } from "../../src/config.ts";
import { createApp } from "../../src/http/create-app.ts";
import { createLogger } from "../../src/logger.ts";
import type { BridgeMetrics } from "../../src/metrics/create-metrics.ts";
import { EVENTS_QUEUE, keyPrefix } from "../../src/queue/queue-names.ts";
import { createCommandClient } from "../../src/redis/create-redis.ts";
import { loadTransforms, type TransformRegistry } from "../../src/transforms/load-transforms.ts";
import { createSvixVerifier } from "../../src/webhooks/verify-svix-signature.ts";
import { TEST_SECRET } from "./sign-fixture.ts";
import { dropPrefix, testPrefix, TEST_REDIS_URL } from "./test-redis.ts";

export interface TestApp {
  app: ReturnType<typeof createApp>;
  config: Config;
  prefix: string;
  redis: Redis;
  eventsQueue: Queue;
  logs: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

/**
 * A receiver wired like main.ts does it, on the real Redis under a prefix of its own. Logs are
 * captured in `logs` (parsed pino lines) so tests can assert what was, and was not, logged.
 */
export async function makeTestApp(
  env: Record<string, string> = {},
  options: {
    transforms?: TransformRegistry;
    redisUrl?: string;
    /** Builds the metrics given the app's queues, when the test wants /metrics. */
    metrics?: (queues: Record<string, Queue>) => BridgeMetrics;
  } = {},
): Promise<TestApp> {
  const prefix = testPrefix();
  const config = loadConfig({ CLERK_WEBHOOK_SECRET: TEST_SECRET, REDIS_PREFIX: prefix, LOG_LEVEL: "debug", ...env });
  const logs: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n")) if (line) logs.push(JSON.parse(line));
      done();
    },
  });
  const logger = createLogger(config.logLevel, sink);
  const redis = createCommandClient(options.redisUrl ?? TEST_REDIS_URL, { lazyConnect: true });
  redis.on("error", (error) => logger.debug({ err: error }, "redis connection error"));
  await redis.connect().catch(() => undefined);
  const eventsQueue = new Queue(EVENTS_QUEUE, { connection: redis, prefix: keyPrefix(prefix) });
  const transforms = options.transforms ?? (await loadTransforms(config.transformsDir));
  const verifiers = new Map(Object.entries(config.webhookSecrets).map(([s, secrets]) => [s, createSvixVerifier(secrets)]));
  const metrics = options.metrics?.({ events: eventsQueue });
  const app = createApp({ config, logger, redis, eventsQueue, transforms, verifiers, metrics });
  return {
    app,
    config,
    prefix,
    redis,
    eventsQueue,
    logs,
    async close() {
      await eventsQueue.close();
      redis.disconnect();
      await dropPrefix(prefix);
    },
  };
}
