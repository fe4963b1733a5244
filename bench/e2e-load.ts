/**
 * The load of the end-to-end benchmark: distinct Clerk sign-ups signed with svix and sent to
 * POST /webhooks/clerk (by concurrent senders, or at a fixed rate), and Event API bursts.
 */
import http from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import autocannon from "autocannon";
import { clerkFixture, signFixture, type SignedDelivery } from "../test/helpers/sign-fixture.ts";

export interface Signup {
  userId: string;
  email: string;
  delivery: SignedDelivery;
}

/** One pool of kept-alive connections shared by the senders. */
const agent = new http.Agent({ keepAlive: true });

/** Called just before a sign-up's webhook goes out. */
export type BeforeSend = (signup: Signup) => void;

/** HTTP status → how many answers had it (0: a network error). */
export type StatusCounts = Record<string, number>;

/**
 * `count` sign-ups built from Clerk's user.created payload, each a new user with its own id and
 * primary email, signed now (well within Svix's 5-minute tolerance for a run of a minute or two).
 */
export function buildSignups(count: number, options: { label: string; secret: string }): Signup[] {
  const fixture = clerkFixture("user.created");
  const fixtureData = fixture.data as Record<string, unknown>;
  return Array.from({ length: count }, (_, index) => {
    const userId = `user_bench_${options.label}_${index}`;
    const emailId = `idn_bench_${options.label}_${index}`;
    const email = `${userId}@bench.example`;
    const now = Date.now();
    const payload = {
      ...fixture,
      timestamp: now,
      data: {
        ...fixtureData,
        id: userId,
        primary_email_address_id: emailId,
        email_addresses: [
          {
            id: emailId,
            object: "email_address",
            email_address: email,
            verification: { status: "verified", strategy: "email_code" },
            linked_to: [],
          },
        ],
        created_at: now,
        updated_at: now,
      },
    };
    return {
      userId,
      email,
      delivery: signFixture(payload, { id: `msg_bench_${options.label}_${index}`, secret: options.secret }),
    };
  });
}

/** Sends every sign-up with `concurrency` senders, each posting its next one as soon as answered. */
export async function sendConcurrently(
  url: string,
  signups: Signup[],
  concurrency: number,
  beforeSend: BeforeSend,
): Promise<StatusCounts> {
  const statuses: StatusCounts = {};
  let next = 0;
  const sender = async () => {
    while (next < signups.length) {
      const signup = signups[next++]!;
      beforeSend(signup);
      const status = await postWebhook(url, signup.delivery);
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, sender));
  return statuses;
}

/** Sends one sign-up every 1/perSecond s on a fixed schedule, not waiting for the answers. */
export async function sendAtRate(
  url: string,
  signups: Signup[],
  perSecond: number,
  beforeSend: BeforeSend,
): Promise<StatusCounts> {
  const statuses: StatusCounts = {};
  const started = performance.now();
  const answers: Array<Promise<void>> = [];
  for (const [index, signup] of signups.entries()) {
    await sleep(Math.max(0, started + (index * 1000) / perSecond - performance.now()));
    beforeSend(signup);
    answers.push(
      postWebhook(url, signup.delivery).then((status) => void (statuses[status] = (statuses[status] ?? 0) + 1)),
    );
  }
  await Promise.all(answers);
  return statuses;
}

/**
 * node:http rather than fetch: measured on this 2-core machine, fetch costs six times the CPU per
 * request, and the bench's CPU is taken from the bridge it measures.
 */
function postWebhook(url: string, delivery: SignedDelivery): Promise<number> {
  return new Promise((resolve) => {
    const headers = { ...delivery.headers, "content-length": String(Buffer.byteLength(delivery.body)) };
    const request = http.request(
      `${url}/webhooks/clerk`,
      { method: "POST", agent, headers, timeout: 15_000 },
      (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode ?? 0));
      },
    );
    // A network error or no answer within 15 s counts as status 0, as Svix would count a failure.
    request.on("timeout", () => request.destroy(new Error("no answer within 15 s")));
    request.on("error", () => resolve(0));
    request.end(delivery.body);
  });
}

export interface IngestResult {
  events: number;
  seconds: number;
  eventsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
}

/** `count` distinct events, one per request, to POST /e/<key> over `connections` connections. */
export async function driveEventApi(
  url: string,
  key: string,
  count: number,
  options: { label: string; connections: number },
): Promise<IngestResult> {
  let next = 0;
  let lastAnswerAt = 0;
  const started = performance.now();
  const result = await autocannon({
    url,
    connections: options.connections,
    amount: count,
    requests: [
      {
        method: "POST",
        path: `/e/${encodeURIComponent(key)}`,
        headers: { "content-type": "application/json" },
        // A name no function listens to: this measures the intake, with the router's work behind it.
        setupRequest: (request) => ({
          ...request,
          body: JSON.stringify({ id: `bench-${options.label}-${next}`, name: "app/bench.ping", data: { n: next++ } }),
        }),
        onResponse: () => {
          lastAnswerAt = performance.now();
        },
      },
    ],
  });
  // Up to the last answer: autocannon itself notices `amount` is reached only on its next
  // one-second tick, which would round every rate down to count / whole seconds.
  const seconds = ((lastAnswerAt || performance.now()) - started) / 1000;
  return {
    events: result["2xx"],
    seconds: round(seconds, 2),
    eventsPerSecond: Math.round(result["2xx"] / seconds),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

export function round(value: number, digits = 0): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
