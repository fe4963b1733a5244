import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { createFunction } from "../../src/client/index.ts";
import { engineForEachTest } from "../helpers/engine-harness.ts";
import { LOCAL_RECEIVERS } from "../helpers/outbound.ts";

const startEngine = engineForEachTest();

const on = (event: string) => [{ event }];

describe("step.run with input", () => {
  test("passes its extra arguments to the callback and stores them with the step", async () => {
    const fn = createFunction({ id: "with-input", triggers: on("app/go") }, async ({ event, step }) =>
      step.run(
        "greet",
        (name: string, options: { loud: boolean }) => (options.loud ? `HELLO ${name}` : `hello ${name}`),
        event.data.name,
        { loud: true },
      ),
    );
    const engine = await startEngine([fn]);
    await engine.send({ id: "i1", name: "app/go", data: { name: "ada" } });
    const run = await engine.waitForRun(engine.runId("with-input", "i1"), "completed");
    assert.equal(run.output, "HELLO ada");
    assert.deepEqual(run.steps[0]?.input, ["ada", { loud: true }]);
  });
});

describe("step.fetch", () => {
  let server: Server;
  let base: string;
  const hits: string[] = [];
  before(async () => {
    server = createServer((request, response) => {
      hits.push(`${request.method} ${request.url}`);
      if (request.url === "/broken") {
        response.writeHead(503, { "content-type": "text/plain" }).end("down");
        return;
      }
      let body = "";
      request.on("data", (chunk) => (body += chunk));
      request.on("end", () =>
        response
          .writeHead(200, { "content-type": "application/json", "x-echo": "yes" })
          .end(JSON.stringify({ path: request.url, body })),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test("is one stored step: the replay after a sleep reads the stored response instead of fetching again", async () => {
    const fn = createFunction({ id: "fetcher", triggers: on("app/go") }, async ({ step }) => {
      const response = await step.fetch(`${base}/users/1`, { method: "POST", body: "hi" });
      const json = (await response.json()) as { path: string; body: string };
      await step.sleep("pause", 200);
      const broken = await step.fetch(`${base}/broken`);
      return {
        status: response.status,
        echo: response.headers.get("x-echo"),
        json,
        broken: [broken.status, await broken.text()],
      };
    });
    const engine = await startEngine([fn], { env: { ...LOCAL_RECEIVERS } });
    hits.length = 0;
    await engine.send({ id: "f1", name: "app/go", data: {} });
    const run = await engine.waitForRun(engine.runId("fetcher", "f1"), "completed");
    assert.deepEqual(run.output, {
      status: 200,
      echo: "yes",
      json: { path: "/users/1", body: "hi" },
      broken: [503, "down"],
    });
    assert.deepEqual(hits, ["POST /users/1", "GET /broken"], "each fetched once; a 503 is a result, not a retry");
    assert.deepEqual(
      run.steps.map((step) => [step.id, step.op, step.status]),
      [
        ["step.fetch: 127.0.0.1", "fetch", "completed"],
        ["pause", "sleep", "completed"],
        ["step.fetch: 127.0.0.1:1", "fetch", "completed"],
      ],
    );
    assert.deepEqual(run.steps[0]?.input, [{ method: "POST", url: `${base}/users/1` }]);
  });

  test("a network error is a step failure, retried like step.run", async () => {
    const fn = createFunction({ id: "unreachable", triggers: on("app/go"), retries: 1 }, async ({ step }) =>
      step.fetch("http://127.0.0.1:1/nothing-listens"),
    );
    const engine = await startEngine([fn], { env: { ...LOCAL_RECEIVERS } });
    await engine.send({ id: "f2", name: "app/go", data: {} });
    const run = await engine.waitForRun(engine.runId("unreachable", "f2"), "failed");
    assert.equal(run.steps[0]?.attempts, 2);
    assert.match(run.error?.message ?? "", /fetch failed/);
  });
});

describe("group.parallel", () => {
  test("runs Inngest code that races steps: the first result wins, the others still run and are stored", async () => {
    const fn = createFunction({ id: "racer", triggers: on("app/go") }, async ({ step, group }) => {
      const winner = await group.parallel({ mode: "race" }, () =>
        Promise.race([
          step.run("fast", () => "fast"),
          step.run("slow", () => new Promise((resolve) => setTimeout(() => resolve("slow"), 200))),
        ]),
      );
      const both = await group.parallel(() => Promise.all([step.run("a", () => 1), step.run("b", () => 2)]));
      return { winner, both };
    });
    const engine = await startEngine([fn]);
    await engine.send({ id: "p1", name: "app/go", data: {} });
    const run = await engine.waitForRun(engine.runId("racer", "p1"), "completed");
    assert.deepEqual(run.output, { winner: "fast", both: [1, 2] });
    assert.deepEqual(run.steps.map((step) => `${step.id}:${step.status}`).sort(), [
      "a:completed",
      "b:completed",
      "fast:completed",
      "slow:completed",
    ]);
  });
});

describe("step tools the bridge does not run, and bad arguments", () => {
  test("step.ai.infer fails the run at once with a NonRetriableError naming the tool", async () => {
    let calls = 0;
    const fn = createFunction({ id: "ai-user", triggers: on("app/go") }, async ({ step }) => {
      calls++;
      return step.ai.infer("ask", { model: {}, body: {} });
    });
    const engine = await startEngine([fn]);
    await engine.send({ id: "a1", name: "app/go", data: {} });
    const run = await engine.waitForRun(engine.runId("ai-user", "a1"), "failed");
    assert.deepEqual([run.error?.name, calls], ["NonRetriableError", 1]);
    assert.match(run.error?.message ?? "", /^step\.ai\.infer is not supported by this bridge/);
  });

  test("an invoke timeout that is not a duration fails the run at once, naming the step", async () => {
    const target = createFunction({ id: "target", triggers: on("x/t") }, () => "t");
    const fn = createFunction({ id: "bad-timeout", triggers: on("app/go") }, async ({ step }) =>
      step.invoke("call", { function: target, timeout: "a fortnight" }),
    );
    const engine = await startEngine([fn, target]);
    await engine.send({ id: "b1", name: "app/go", data: {} });
    const run = await engine.waitForRun(engine.runId("bad-timeout", "b1"), "failed");
    assert.equal(run.attempt, 0);
    assert.match(run.error?.message ?? "", /^step\.invoke\("call"\) timeout: "a fortnight" is not a duration/);
    assert.equal((await engine.store.listRuns({ functionId: "target", limit: 5 })).items.length, 0);
  });
});
