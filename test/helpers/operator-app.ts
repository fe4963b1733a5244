import { createOperatorRouters } from "../../src/app/create-operator-routers.ts";
import type { BridgeFunction } from "../../src/client/index.ts";
import type { RunState } from "../../src/engine/store/run-state.ts";
import type { BridgeEvent } from "../../src/events/event-schema.ts";
import { createApp } from "../../src/http/create-app.ts";
import { loadTransforms } from "../../src/transforms/load-transforms.ts";
import { startTestServices } from "./test-services.ts";

/** A receiver with the operator API mounted, as the composition root wires it, on a Redis prefix of its own. */
export async function makeOperatorApp(env: Record<string, string> = {}, functions: BridgeFunction[] = []) {
  const t = await startTestServices(env);
  const { services, config } = t;
  const operator = createOperatorRouters({ ...services, functions });
  const transforms = await loadTransforms(config.transformsDir);
  const app = createApp({ ...services, transforms, verifiers: new Map(), routers: operator.routers });
  return {
    app,
    redis: services.redis,
    prefix: t.prefix,
    config,
    services,
    eventLog: services.eventLog,
    async close() {
      await operator.close();
      await t.close();
    },
  };
}

export type OperatorApp = Awaited<ReturnType<typeof makeOperatorApp>>;

/** Creates a run the way the router does, through the run ledger's own script. */
export async function createRun(
  t: OperatorApp,
  runId: string,
  event: BridgeEvent,
  functionId: string,
  status?: RunState["status"],
) {
  const { ledger } = t.services.runs;
  await ledger.route({ runs: [{ id: runId, functionId, event, createdAt: Date.now() }] });
  if (status)
    await ledger.updateRun(runId, {
      status,
      ...(status === "failed" ? { endedAt: Date.now(), error: { name: "Error", message: "boom" } } : {}),
    });
}

/** Records an event in the event log under the keys the router's script writes (entryOf). */
export async function recordInLog(t: OperatorApp, event: BridgeEvent): Promise<void> {
  const { allKey, nameKey, member } = t.eventLog.entryOf(event);
  await Promise.all([t.redis.zadd(allKey, 0, member), t.redis.zadd(nameKey, 0, member)]);
}
