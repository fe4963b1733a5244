import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { checkDestination } from "../../src/destinations/check-destination.ts";
import { defineDestination } from "../../src/destinations/define-destination.ts";
import { createDestinationsFunction } from "../../src/destinations/destinations-function.ts";
import { createFunction, type BridgeFunction } from "../../src/client/index.ts";
import { engineForEachTest } from "../helpers/engine-harness.ts";
import { startHttpReceiver, type HttpReceiver } from "../helpers/http-receiver.ts";
import { LOCAL_RECEIVERS, outboundFetchFor } from "../helpers/outbound.ts";

/**
 * Issue 19: step.fetch and the destinations reached loopback, link-local and private addresses,
 * and followed redirects there. By default they are refused (resolved first, every address
 * checked, each redirect's target too): a NonRetriableError naming the address.
 */
const startEngine = engineForEachTest();
let receiver: HttpReceiver;
let port: number;
before(async () => {
  receiver = await startHttpReceiver((request) =>
    request.path.startsWith("/to/")
      ? { status: 302, headers: { location: decodeURIComponent(request.path.slice(4)) } }
      : { status: 200, body: '{"ok":true}' },
  );
  port = Number(new URL(receiver.url).port);
});
after(() => receiver.close());

async function fetchRun(url: string, env: Record<string, string> = {}) {
  const fn = createFunction(
    { id: "fetcher", triggers: [{ event: "app/go" }], retries: 3 },
    async ({ step }) => (await step.fetch(url)).status,
  );
  const engine = await startEngine([fn], { env });
  await engine.send({ id: "go", name: "app/go", data: {} });
  return engine.waitForRun(engine.runId("fetcher", "go"), ["completed", "failed"], 15_000);
}

describe("step.fetch and the address policy", () => {
  const refused: Array<[string, () => string, RegExp]> = [
    ["loopback", () => `http://127.0.0.1:${port}/`, /127\.0\.0\.1: a loopback address/],
    ["localhost, resolved", () => `http://localhost:${port}/`, /(127\.0\.0\.1|::1) \(localhost\): a loopback address/],
    ["an IPv4 address spelt as IPv6", () => `http://[::ffff:127.0.0.1]:${port}/`, /a loopback address/],
    ["a decimal spelling of 127.0.0.1", () => `http://2130706433:${port}/`, /127\.0\.0\.1: a loopback address/],
    ["unspecified", () => `http://0.0.0.0:${port}/`, /0\.0\.0\.0: a unspecified address/],
    ["IPv6 loopback", () => `http://[::1]:${port}/`, /::1: a loopback address/],
    [
      "the cloud metadata service (link-local)",
      () => "http://169.254.169.254/latest/meta-data/",
      /169\.254\.169\.254: a linkLocal address/,
    ],
    ["a private network", () => "http://10.1.2.3/", /10\.1\.2\.3: a private address/],
  ];
  for (const [what, url, message] of refused) {
    test(`${what} is refused at once, naming the address`, async () => {
      const hits = receiver.requests.length;
      const run = await fetchRun(url());
      assert.equal(run.status, "failed");
      assert.equal(run.steps[0]?.attempts, 1, "not retried");
      assert.match(run.error?.message ?? "", message);
      assert.match(run.error?.message ?? "", /FETCH_ALLOW_PRIVATE/);
      assert.equal(receiver.requests.length, hits, "nothing reached the receiver");
    });
  }

  test("a redirect to a refused address is refused where it leads, after the allowed first hop", async () => {
    const hits = receiver.requests.length;
    const run = await fetchRun(
      `http://127.0.0.1:${port}/to/${encodeURIComponent("http://169.254.169.254/latest/meta-data/")}`,
      LOCAL_RECEIVERS,
    );
    assert.equal(run.status, "failed");
    assert.equal(run.steps[0]?.attempts, 1);
    assert.match(run.error?.message ?? "", /169\.254\.169\.254: a linkLocal address/);
    assert.equal(receiver.requests.length, hits + 1, "the allowed address was reached, the redirect's target was not");
  });

  test("a redirect to another loopback address than the allowed one is refused too", async () => {
    const run = await fetchRun(
      `http://127.0.0.1:${port}/to/${encodeURIComponent(`http://127.0.0.2:${port}/`)}`,
      LOCAL_RECEIVERS,
    );
    assert.equal(run.status, "failed");
    assert.match(run.error?.message ?? "", /127\.0\.0\.2: a loopback address/);
  });

  test("FETCH_ALLOW_PRIVATE lets the listed addresses through, and true lets everything through", async () => {
    assert.equal((await fetchRun(`http://127.0.0.1:${port}/`, LOCAL_RECEIVERS)).output, 200);
    assert.equal(
      (
        await fetchRun(`http://localhost:${port}/to/${encodeURIComponent(`http://127.0.0.1:${port}/`)}`, {
          FETCH_ALLOW_PRIVATE: "true",
        })
      ).output,
      200,
    );
  });
});

describe("destinations and the address policy", () => {
  test("a destination whose URL is a private address fails for good, naming it, without sending", async () => {
    const outbound = outboundFetchFor({});
    const definition = defineDestination({
      name: "internal",
      env: ["URL"],
      events: ["app/user.created"],
      request: (event, env) => ({ url: env.URL, body: { id: event.id } }),
    });
    const destination = checkDestination(definition, "internal.ts", { URL: `http://127.0.0.1:${port}/hook` });
    const engine = await startEngine([
      createDestinationsFunction({ destinations: [destination], fetch: outbound.fetch }) as BridgeFunction,
    ]);
    const hits = receiver.requests.length;
    await engine.send({ id: "d1", name: "app/user.created", data: {} });
    const run = await engine.waitForRun(engine.runId("bridge-destinations", "d1"), ["completed", "failed"], 15_000);
    await outbound.close();
    assert.equal(run.status, "failed");
    const step = run.steps.find((candidate) => candidate.id === "deliver internal");
    assert.equal(step?.attempts, 1, "not retried");
    assert.match(run.error?.message ?? "", /internal: refused to connect to 127\.0\.0\.1: a loopback address/);
    assert.equal(receiver.requests.length, hits);
  });
});
