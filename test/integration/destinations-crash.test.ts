import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, test } from "node:test";
import { Webhook } from "svix";
import { idempotencyKey } from "../../src/destinations/prepare-request.ts";
import { runIdFor } from "../../src/engine/store/run-id.ts";
import { crashTestsOf, kill } from "../helpers/crash-harness.ts";
import { startHttpReceiver, type HttpReceiver } from "../helpers/http-receiver.ts";

const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const crash = crashTestsOf(new URL("../helpers/destinations-worker-process.ts", import.meta.url));
const startWorker = (prefix: string, receiver: HttpReceiver) =>
  crash.startWorker(prefix, { RECEIVER_URL: `${receiver.url}/hook`, RECEIVER_SECRET: SECRET });

describe("destinations and crashes", () => {
  test("a worker killed between the request and storing its result: the request is sent once more, with the same idempotency key, and no more", async () => {
    const { prefix, store: runs, send, waitForRun } = crash.outside();
    // The first request is held until its worker dies; the next one is answered.
    const receiver = await startHttpReceiver((_request, index) =>
      index === 0 ? "hang" : { status: 200, body: '{"received":true}' },
    );
    crash.cleanup(() => receiver.close());

    const doomed = await startWorker(prefix, receiver);
    await send({ id: "signup-1", name: "app/signup", data: { email: "ada@example.com" } });
    await receiver.waitForRequests(1);
    await kill(doomed, "SIGKILL");

    const survivor = await startWorker(prefix, receiver);
    const runId = runIdFor("bridge-destinations", "signup-1");
    await waitForRun(runId, "completed", 30_000);
    // Give a stray third delivery the time to arrive before counting.
    await sleep(500);
    await kill(survivor, "SIGTERM");

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
