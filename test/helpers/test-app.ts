import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { Config } from "../../src/config/load-config.ts";
import { createApp } from "../../src/http/create-app.ts";
import type { BridgeMetrics } from "../../src/metrics/create-metrics.ts";
import { loadTransforms, type TransformRegistry } from "../../src/transforms/load-transforms.ts";
import { createVerifiers } from "../../src/webhooks/verify-svix-signature.ts";
import { perSuite } from "./per-suite.ts";
import { startTestServices } from "./test-services.ts";

export interface TestApp {
  app: ReturnType<typeof createApp>;
  config: Config;
  prefix: string;
  redis: Redis;
  eventsQueue: Queue;
  metrics: BridgeMetrics;
  logs: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

/**
 * A receiver wired like the composition root does it (createServices, then createApp), on the
 * real Redis under a prefix of its own. Logs are captured in `logs` (parsed pino lines) so tests
 * can assert what was, and was not, logged.
 */
export async function makeTestApp(
  env: Record<string, string> = {},
  options: { transforms?: TransformRegistry; redisUrl?: string } = {},
): Promise<TestApp> {
  const t = await startTestServices(
    { ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}), ...env },
    { captureLogs: true },
  );
  const { services, config } = t;
  const transforms = options.transforms ?? (await loadTransforms(config.transformsDir));
  const verifiers = createVerifiers(config);
  await services.watchDeduplications();
  const app = createApp({ ...services, transforms, verifiers });
  return {
    app,
    config,
    prefix: t.prefix,
    redis: services.redis,
    eventsQueue: services.queues.events,
    metrics: services.metrics,
    logs: t.logs,
    close: () => t.close(),
  };
}

/**
 * For a describe block: the app `start` makes (a plain makeTestApp() unless given), started
 * before its tests and closed after them. Read its fields inside the tests.
 */
export function testAppPerSuite(start: () => Promise<TestApp> = () => makeTestApp()): TestApp {
  return perSuite("the test app", start, (t) => t.close());
}
