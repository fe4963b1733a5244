import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { afterEach, describe, test } from "node:test";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { Webhook } from "svix";
import { idempotencyKey } from "../../src/destinations/prepare-request.ts";
import { createRunQueries } from "../../src/engine/store/run-queries.ts";
import { runIdFor } from "../../src/engine/store/run-id.ts";
import { acceptEvents } from "../../src/events/accept-events.ts";
import { EVENTS_QUEUE, keyPrefix } from "../../src/queue/queue-names.ts";
import { bridgeKeys } from "../../src/redis/keys.ts";
import { startHttpReceiver, type HttpReceiver } from "../helpers/http-receiver.ts";
import { dropPrefix, testPrefix, TEST_REDIS_URL } from "../helpers/test-redis.ts";

const WORKER = fileURLToPath(new URL("../helpers/destinations-worker-process.ts", import.meta.url));
const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

const children: ChildProcess[] = [];
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function startWorkerProcess(prefix: string, receiver: HttpReceiver): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", WORKER], {
    env: { ...process.env, ENGINE_TEST_PREFIX: prefix, RECEIVER_URL: `${receiver.url}/hook`, RECEIVER_SECRET: SECRET },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  const [chunk] = (await once(child.stdout!, "data")) as [Buffer];
  assert.equal(chunk.toString().trim(), "ready");
  return child;
}

describe("destinations and crashes", () => {
  test("a worker killed between the request and storing its result: the request is sent once more, with the same idempotency key, and no more", async () => {
    const prefix = testPrefix();
    const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
    const eventsQueue = new Queue(EVENTS_QUEUE, { connection: redis, prefix: keyPrefix(prefix) });
    // The first request is held until its worker dies; the next one is answered.
    const receiver = await startHttpReceiver((_request, index) => (index === 0 ? "hang" : { status: 200, body: '{"received":true}' }));
    cleanups.push(async () => {
      await receiver.close();
      await eventsQueue.close();
      await dropPrefix(prefix);
      redis.disconnect();
    });

    const doomed = await startWorkerProcess(prefix, receiver);
    await acceptEvents({ eventsQueue, dedupeWindowMs: 3_600_000 }, [{ id: "signup-1", name: "app/signup", data: { email: "ada@example.com" } }], "test");
    await receiver.waitForRequests(1);
    doomed.kill("SIGKILL");
    await once(doomed, "exit");

    const survivor = await startWorkerProcess(prefix, receiver);
    const runs = createRunQueries({ redis, keys: bridgeKeys(prefix) });
    const runId = runIdFor("bridge-destinations", "signup-1");
    const deadline = Date.now() + 30_000;
    while ((await runs.getRun(runId))?.status !== "completed") {
      if (Date.now() > deadline) throw new Error(`run did not complete: ${JSON.stringify(await runs.getRun(runId))}`);
      await sleep(50);
    }
    // Give a stray third delivery the time to arrive before counting.
    await sleep(500);
    survivor.kill("SIGTERM");
    await once(survivor, "exit");

    const key = idempotencyKey("signup-1", "receiver");
    assert.equal(receiver.requests.length, 2, "sent again after the crash, then never again");
    for (const request of receiver.requests) {
      assert.equal(request.headers["idempotency-key"], key);
      assert.equal(request.headers["webhook-id"], key);
      new Webhook(SECRET).verify(request.body, request.headers as Record<string, string>);
    }
    const step = (await runs.getRun(runId))?.steps.find((candidate) => candidate.id === "deliver receiver");
    assert.equal((step?.output as { status?: number }).status, 200);
  });
});
