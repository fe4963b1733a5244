import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { after, afterEach, describe, test } from "node:test";
import { Webhook } from "svix";
import { checkDestination } from "../../src/destinations/check-destination.ts";
import { defineDestination, type Destination } from "../../src/destinations/define-destination.ts";
import { createDestinationsFunction } from "../../src/destinations/destinations-function.ts";
import { loadDestinations } from "../../src/destinations/load-destinations.ts";
import { idempotencyKey } from "../../src/destinations/prepare-request.ts";
import type { DeliveryAnswer } from "../../src/destinations/send-request.ts";
import type { BridgeFunction, StepState } from "../../src/client/index.ts";
import { createLogger } from "../../src/logger.ts";
import { engineForEachTest, type TestEngine } from "../helpers/engine-harness.ts";
import { startHttpReceiver, type HttpReceiver, type ReceiverAnswer } from "../helpers/http-receiver.ts";
import { LOCAL_RECEIVERS, outboundFetchFor } from "../helpers/outbound.ts";

const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const FUNCTION_ID = "bridge-destinations";
const SHIPPED = fileURLToPath(new URL("../../destinations", import.meta.url));

const startEngine = engineForEachTest();
// The receivers listen on 127.0.0.1: opted in by configuration, as an operator would.
const outbound = outboundFetchFor(LOCAL_RECEIVERS);
after(() => outbound.close());
const receivers: HttpReceiver[] = [];
afterEach(async () => {
  for (const receiver of receivers.splice(0)) await receiver.close();
});

async function receiver(answer: (index: number) => ReceiverAnswer): Promise<HttpReceiver> {
  const started = await startHttpReceiver((_request, index) => answer(index));
  receivers.push(started);
  return started;
}

/** A destination posting the event to `url`, signed when `signed`. */
function destination(name: string, url: string, extra: Partial<Destination<"URL" | "SECRET">> = {}) {
  const definition = defineDestination({
    name,
    env: ["URL", "SECRET"],
    signingSecret: "SECRET",
    events: ["app/user.created"],
    request: (event, env) => ({ url: env.URL, body: { id: event.id, name: event.name, data: event.data } }),
    ...extra,
  });
  return checkDestination(definition, `${name}.ts`, { URL: url, SECRET });
}

async function start(destinations: ReturnType<typeof destination>[], retries?: number): Promise<TestEngine> {
  const fn = createDestinationsFunction({
    destinations,
    fetch: outbound.fetch,
    ...(retries === undefined ? {} : { retries }),
  }) as BridgeFunction;
  return startEngine([fn]);
}

const stepOf = (steps: StepState[], name: string) => steps.find((step) => step.id === `deliver ${name}`);

describe("destinations", () => {
  test("a destination that fails twice then answers is delivered on the third attempt; every attempt is signed and carries the same key", async () => {
    const crm = await receiver((index) =>
      index < 2
        ? { status: 500, body: "down" }
        : { status: 201, body: '{"ok":true}', headers: { "x-request-id": "r-42" } },
    );
    const t = await start([destination("crm", `${crm.url}/hooks/users`)]);
    await t.send({ id: "evt-flaky", name: "app/user.created", data: { email: "ada@example.com" } });
    const run = await t.waitForRun(t.runId(FUNCTION_ID, "evt-flaky"), "completed");

    const step = stepOf(run.steps, "crm") as StepState;
    assert.equal(step.status, "completed");
    assert.equal(step.attempts, 3);
    const answer = step.output as DeliveryAnswer;
    assert.equal(answer.status, 201);
    assert.equal(answer.body, '{"ok":true}');
    assert.equal(answer.headers?.["x-request-id"], "r-42");
    assert.equal(answer.host, new URL(crm.url).host);
    assert.deepEqual(run.output, { delivered: { crm: 201 } });

    const key = idempotencyKey("evt-flaky", "crm");
    assert.equal(crm.requests.length, 3);
    for (const request of crm.requests) {
      assert.equal(request.method, "POST");
      assert.equal(request.path, "/hooks/users");
      assert.equal(request.headers["idempotency-key"], key);
      assert.equal(request.headers["webhook-id"], key);
      // The receiving side's own check, with the svix library: throws on a bad signature.
      new Webhook(SECRET).verify(request.body, request.headers as Record<string, string>);
      assert.deepEqual(JSON.parse(request.body), {
        id: "evt-flaky",
        name: "app/user.created",
        data: { email: "ada@example.com" },
      });
    }
    assert.throws(() =>
      new Webhook("whsec_" + Buffer.from("another secret").toString("base64")).verify(
        crm.requests[0]!.body,
        crm.requests[0]!.headers as Record<string, string>,
      ),
    );
  });

  test("a 400 fails its destination at once with the answer's body, the others are delivered, and the run fails naming it", async () => {
    const refusing = await receiver(() => ({ status: 400, body: '{"error":"invalid email"}' }));
    const accepting = await receiver(() => ({ status: 200, body: "ok" }));
    const t = await start([destination("strict", refusing.url), destination("easy", accepting.url)]);
    await t.send({ id: "evt-400", name: "app/user.created", data: {} });
    const runId = t.runId(FUNCTION_ID, "evt-400");
    const run = await t.waitForRun(runId, "failed");

    assert.match(
      run.error?.message ?? "",
      /1 of 2 destination\(s\) failed: strict: HTTP 400: \{"error":"invalid email"\}/,
    );
    const strict = stepOf(run.steps, "strict") as StepState;
    assert.equal(strict.status, "failed");
    assert.equal(strict.attempts, 1);
    assert.equal(strict.error?.name, "NonRetriableError");
    assert.equal((strict.error?.cause as DeliveryAnswer).status, 400);
    assert.equal(stepOf(run.steps, "easy")?.status, "completed");
    assert.equal(refusing.requests.length, 1);
    assert.equal(accepting.requests.length, 1);

    // An operator's retry sends again only to the destination that failed.
    await t.store.retryRun(runId);
    await refusing.waitForRequests(2);
    await t.waitForRun(runId, "failed");
    assert.equal(refusing.requests.length, 2);
    assert.equal(accepting.requests.length, 1);
  });

  test("429 with Retry-After is retried no sooner than it asks", async () => {
    const limited = await receiver((index) =>
      index === 0 ? { status: 429, headers: { "retry-after": "2" }, body: "slow down" } : { status: 200 },
    );
    const t = await start([destination("limited", limited.url)]);
    await t.send({ id: "evt-429", name: "app/user.created", data: {} });
    const run = await t.waitForRun(t.runId(FUNCTION_ID, "evt-429"), "completed");
    assert.equal(stepOf(run.steps, "limited")?.attempts, 2);
    const [first, second] = limited.requests;
    // The engine's own backoff in tests is ~50 ms: only the Retry-After explains two seconds.
    assert.ok(
      (second?.at ?? 0) - (first?.at ?? 0) >= 2000,
      `retried ${(second?.at ?? 0) - (first?.at ?? 0)} ms after a Retry-After of 2 s`,
    );
  });

  test("a receiver that never answers times out each attempt, and the step fails once its budget is spent", async () => {
    const hanging = await receiver(() => "hang");
    const t = await start([destination("slowpoke", hanging.url, { timeout: "300ms" })], 1);
    await t.send({ id: "evt-hang", name: "app/user.created", data: {} });
    const run = await t.waitForRun(t.runId(FUNCTION_ID, "evt-hang"), "failed", 30_000);
    const step = stepOf(run.steps, "slowpoke") as StepState;
    assert.equal(step.attempts, 2);
    assert.match(step.error?.message ?? "", /slowpoke: no answer within 300 ms \(timeout\)/);
    assert.equal((step.error?.cause as DeliveryAnswer).error, "no answer within 300 ms (timeout)");
    assert.equal(hanging.requests.length, 2);
  });

  test("an if picks the events a destination takes, and a null request skips the event without a step", async () => {
    const pro = await receiver(() => ({ status: 200 }));
    const all = await receiver(() => ({ status: 200 }));
    const t = await start([
      destination("pro-only", pro.url, { if: "event.data.plan == 'pro'" }),
      destination("not-tests", all.url, {
        request: (event, env) => (event.data.test ? null : { url: env.URL, body: {} }),
      }),
    ]);
    await t.send([
      { id: "evt-free-test", name: "app/user.created", data: { plan: "free", test: true } },
      { id: "evt-pro", name: "app/user.created", data: { plan: "pro" } },
    ]);
    const skipped = await t.waitForRun(t.runId(FUNCTION_ID, "evt-free-test"), "completed");
    assert.deepEqual(skipped.steps, []);
    assert.deepEqual(skipped.output, { delivered: {}, skipped: ["not-tests"] });
    const both = await t.waitForRun(t.runId(FUNCTION_ID, "evt-pro"), "completed");
    assert.deepEqual(both.output, { delivered: { "pro-only": 200, "not-tests": 200 } });
    assert.equal(pro.requests.length, 1);
    assert.equal(all.requests.length, 1);
  });

  test("a request() that throws fails its destination without a step, and the others are still delivered", async () => {
    const fine = await receiver(() => ({ status: 200 }));
    const t = await start([
      destination("broken", fine.url, {
        request: (event) => ({ url: String((event.data.profile as { url: string }).url) }),
      }),
      destination("fine", fine.url),
    ]);
    await t.send({ id: "evt-broken", name: "app/user.created", data: {} });
    const run = await t.waitForRun(t.runId(FUNCTION_ID, "evt-broken"), "failed");
    assert.match(run.error?.message ?? "", /1 of 2 destination\(s\) failed: broken: request\(\) failed: .*url/);
    assert.equal(run.error?.name, "NonRetriableError");
    assert.deepEqual(
      run.steps.map((step) => [step.id, step.status]),
      [["deliver fine", "completed"]],
    );
    assert.equal(fine.requests.length, 1);
  });

  test("the shipped Slack, Intercom and Close destinations take a new Clerk user to their APIs at once", async () => {
    const api = await receiver(() => ({ status: 200, body: '{"id":"x"}' }));
    const env = {
      SLACK_WEBHOOK_URL: `${api.url}/services/T000/B000/secret`,
      INTERCOM_TOKEN: "icm-token",
      INTERCOM_API_URL: api.url,
      CLOSE_API_KEY: "close-key",
      CLOSE_API_URL: `${api.url}/`,
    };
    const destinations = await loadDestinations(SHIPPED, env, createLogger("silent"));
    const t = await start(destinations);
    const data = {
      id: "user_29w83sxmDNGwOuEthce5gg56FcC",
      first_name: "Ada",
      last_name: "Lovelace",
      primary_email_address_id: "idn_1",
      email_addresses: [{ id: "idn_1", email_address: "ada@example.com" }],
    };
    await t.send({ id: "msg_signup", name: "clerk/user.created", data });
    const run = await t.waitForRun(t.runId(FUNCTION_ID, "msg_signup"), "completed");
    assert.deepEqual(run.output, { delivered: { close: 200, intercom: 200, slack: 200 } });

    const byPath = Object.fromEntries(api.requests.map((request) => [request.path, request]));
    assert.deepEqual(Object.keys(byPath).sort(), ["/api/v1/lead/", "/contacts", "/services/T000/B000/secret"]);
    assert.deepEqual(JSON.parse(byPath["/services/T000/B000/secret"]!.body), {
      text: "New user: Ada Lovelace (ada@example.com)",
    });
    const intercom = byPath["/contacts"]!;
    assert.equal(intercom.headers.authorization, "Bearer icm-token");
    assert.equal(intercom.headers["intercom-version"], "2.14");
    assert.deepEqual(JSON.parse(intercom.body), {
      role: "user",
      external_id: data.id,
      email: "ada@example.com",
      name: "Ada Lovelace",
    });
    const close = byPath["/api/v1/lead/"]!;
    assert.equal(close.headers.authorization, `Basic ${Buffer.from("close-key:").toString("base64")}`);
    assert.deepEqual(JSON.parse(close.body), {
      name: "Ada Lovelace",
      contacts: [{ name: "Ada Lovelace", emails: [{ email: "ada@example.com", type: "office" }] }],
    });
    // The Slack URL's path is its secret: the stored answer keeps the host only.
    assert.doesNotMatch(JSON.stringify(run.steps), /B000\/secret/);
  });
});
