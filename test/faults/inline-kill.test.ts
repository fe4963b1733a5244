import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { runIdFor } from "../../src/engine/store/run-id.ts";
import { eventJobId } from "../../src/queue/event-jobs.ts";
import { crashTestsOf, kill } from "../helpers/crash-harness.ts";
import { waitUntil } from "../helpers/wait-until.ts";

const crash = crashTestsOf(new URL("../helpers/engine-worker-process.ts", import.meta.url));

describe("a process killed while the router executes a new run inline", () => {
  test("SIGKILL mid-step of an inline run: routed again, the run resumes on its own job, one run, no completed step again", async () => {
    const { prefix, redis, store, send, eventsQueue, runsQueue, keys } = crash.outside();
    const sideEffect = async (name: string) => Number((await redis.get(`{${prefix}}:side-effect:${name}`)) ?? 0);
    const runId = runIdFor("crashy", "inline-1");

    const doomed = await crash.startWorker(prefix, { ENGINE_SLOW_MS: "60000" });
    await send({ id: "inline-1", name: "app/crash", data: {} });
    await waitUntil(async () => (await sideEffect("slow-started")) === 1);
    // Inline: the run executes inside its event's job, which is active, and has no job of its own.
    assert.equal(await runsQueue.getJob(runId), undefined, "the new run has no job on the runs queue");
    assert.equal(await (await eventsQueue.getJob(eventJobId("inline-1")))?.getState(), "active");
    assert.equal((await store.getRun(runId))?.status, "running");
    await kill(doomed, "SIGKILL");

    const survivor = await crash.startWorker(prefix, { ENGINE_SLOW_MS: "0" });
    await waitUntil(async () => (await store.getRun(runId))?.status === "completed", 30_000);
    await kill(survivor, "SIGTERM");

    assert.equal(await sideEffect("first"), 1, "the completed step did not run again");
    assert.equal(await sideEffect("slow-started"), 2, "the interrupted step ran again, once");
    assert.equal(await sideEffect("slow"), 1);
    assert.equal(await sideEffect("last"), 1);
    assert.equal((await store.getRun(runId))?.output, "survived");
    assert.deepEqual(await redis.hkeys(keys.eventRuns("inline-1")), [runId], "one run for the event");
  });
});
