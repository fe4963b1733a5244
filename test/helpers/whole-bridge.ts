import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { createOperatorRouters } from "../../src/app/create-operator-routers.ts";
import { createRegistry } from "../../src/engine/definition/registry.ts";
import type { RunState } from "../../src/engine/store/run-state.ts";
import { startWorkers } from "../../src/engine/start-workers.ts";
import type { BridgeFunction } from "../../src/engine/definition/types.ts";
import { createApp } from "../../src/http/create-app.ts";
import { workerDepsOf } from "../../src/app/worker-deps.ts";
import type { TransformRegistry } from "../../src/transforms/load-transforms.ts";
import { loadTransforms } from "../../src/transforms/load-transforms.ts";
import { createVerifiers } from "../../src/webhooks/verify-svix-signature.ts";
import { startBulkJobs } from "../../src/bulk/start-bulk-jobs.ts";
import { intakeWatchers } from "../../src/app/start-receiver.ts";
import { TEST_ENGINE_OPTIONS, waitForRunIn } from "./engine-harness.ts";
import { startTestServices, type TestServices } from "./test-services.ts";

export interface WholeBridge extends Pick<TestServices, "services" | "config" | "prefix" | "logs"> {
  app: ReturnType<typeof createApp>;
  /** http://127.0.0.1:<port>, for requests supertest cannot make (raw compressed bodies). */
  base: string;
  waitForRun(runId: string, statuses: string[], timeoutMs?: number): Promise<RunState>;
  close(): Promise<void>;
}

/**
 * The receiver (intake, operator API, dashboard) and the workers (router, executor, bulk
 * actions) of one bridge, wired as src/app/start-bridge.ts does, listening on a free port, on a Redis
 * prefix of its own.
 * `transforms` are added to the ones in TRANSFORMS_DIR.
 */
export async function startWholeBridge(
  options: {
    env?: Record<string, string>;
    functions?: readonly BridgeFunction[];
    transforms?: TransformRegistry;
    captureLogs?: boolean;
    localWebhookSecret?: boolean;
  } = {},
): Promise<WholeBridge> {
  const t = await startTestServices(
    { RETENTION: "1h", DEDUPE_WINDOW: "1h", FUNCTIONS: "none", ...options.env },
    { captureLogs: options.captureLogs ?? false, localWebhookSecret: options.localWebhookSecret ?? false },
  );
  const { services, config } = t;
  const connection = services.createBlockingClient();
  const registry = createRegistry(options.functions ?? []);
  const workers = await startWorkers(
    workerDepsOf(services, connection, { ...config.engine, ...TEST_ENGINE_OPTIONS }),
    registry,
  );
  const transforms = new Map([...(await loadTransforms(config.transformsDir)), ...(options.transforms ?? [])]);
  const verifiers = createVerifiers(config);
  const operator = createOperatorRouters({
    ...services,
    transforms,
    adoptTransform: (source, transform) => void transforms.set(source, transform),
    functions: registry.functions,
  });
  // As start-bridge.ts does: the delivery log and the names index read the events queue's stream;
  // bulk actions run on the operator queue.
  const reader = services.watchDeduplications(...intakeWatchers(services, transforms));
  await reader.waitUntilReady();
  // Its first read of the stream follows the connection by a moment; what is added before is not seen.
  await sleep(100);
  services.closers.push("bulk jobs", startBulkJobs(services));
  const app = createApp({ ...services, transforms, verifiers, routers: operator.routers });
  const server: Server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    app,
    base: `http://127.0.0.1:${port}`,
    services,
    config,
    prefix: t.prefix,
    logs: t.logs,
    waitForRun: (runId, statuses, timeoutMs) => waitForRunIn(services.runs.queries, runId, statuses, timeoutMs),
    async close() {
      await operator.close();
      await new Promise((resolve) => server.close(resolve));
      await workers.close();
      connection.disconnect();
      await t.close();
    },
  };
}
