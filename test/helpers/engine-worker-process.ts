/**
 * A worker process for the crash tests: started by test/integration/engine-crash.test.ts and
 * killed with SIGKILL in the middle of a run. Its function counts every step execution in Redis
 * (the side effects the test checks), and its "slow" step gives the test time to kill it.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { createFunction } from "../../src/client/index.ts";
import { crashWorkerServices, prefix, runCrashWorker } from "./crash-worker.ts";

const slowMs = Number(process.env.ENGINE_SLOW_MS ?? 0);
const setup = await crashWorkerServices();
const { services } = setup;
const count = (name: string) => services.redis.incr(`{${prefix}}:side-effect:${name}`);

const crashy = createFunction({ id: "crashy", triggers: [{ event: "app/crash" }] }, async ({ step }) => {
  await step.run("first", () => count("first"));
  await step.run("slow", async () => {
    await count("slow-started");
    await sleep(slowMs);
    return count("slow");
  });
  await step.run("last", () => count("last"));
  return "survived";
});

await runCrashWorker(setup, [crashy]);
