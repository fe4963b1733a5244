import type { Redis } from "ioredis";
import { pino } from "pino";
import { connectRedis } from "../../src/redis/connect-redis.ts";
import { createPostgresPool, type Pool } from "../../src/functions/postgres/create-pool.ts";
import { startHttpReceiver, type HttpReceiver } from "./http-receiver.ts";
import { createTestSchema } from "./pg-schema.ts";
import { clerkFixture, signFixture, type SignedDelivery } from "./sign-fixture.ts";
import { startTestSmtpServer, type TestSmtpServer } from "./smtp-test-server.ts";
import { noOperatorFunctions, startFullBridge } from "./full-bridge.ts";
import { dropPrefix, everythingStored, TEST_REDIS_URL, testPrefix } from "./test-redis.ts";
import { poll } from "./wait-until.ts";

export interface RunSummary {
  id: string;
  functionId: string;
  status: string;
}

/**
 * The whole bridge with every built-in that sends: user-sync (PostgreSQL), onboarding-email to a
 * real SMTP server, and the shipped `webhook` destination posting to a real HTTP receiver.
 */
export interface SignupHarness {
  url: string;
  prefix: string;
  redis: Redis;
  pool: Pool;
  smtp: TestSmtpServer;
  destination: HttpReceiver;
  /** Posts a signed delivery; answers the response's status and body. */
  post(delivery: SignedDelivery): Promise<{ status: number; body: Record<string, unknown> }>;
  runsOf(eventId: string): Promise<RunSummary[]>;
  run(runId: string): Promise<{
    status: string;
    output?: unknown;
    error?: { message: string };
    steps: Array<{ id: string; status: string; output?: unknown; error?: { message: string } }>;
  }>;
  waitForRun(eventId: string, functionId: string, statuses: string[]): Promise<RunSummary>;
  /** Every key name and every value under the prefix, the operators' audit stream left out (it names erased user ids on purpose). */
  storedOutsideAudit(): Promise<string>;
  close(): Promise<void>;
}

export async function startSignupHarness(
  env: Record<string, string> = {},
  options: { logLines?: string[] } = {},
): Promise<SignupHarness> {
  const prefix = testPrefix();
  const schema = await createTestSchema();
  const smtp = await startTestSmtpServer();
  const destination = await startHttpReceiver(() => ({ status: 200, body: "{}" }));
  const { bridge, url } = await startFullBridge(
    {
      REDIS_PREFIX: prefix,
      DATABASE_URL: schema.url,
      SMTP_URL: smtp.url,
      FUNCTIONS: "user-sync,onboarding-email,destinations",
      FUNCTIONS_DIR: noOperatorFunctions(),
      ONBOARDING_DELAY: "1h",
      WEBHOOK_DESTINATION_URL: destination.url,
      WEBHOOK_DESTINATION_SECRET: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
      // The receiver listens on loopback: allowed explicitly, should outgoing requests to private addresses be refused.
      FETCH_ALLOW_PRIVATE: "true",
      ...env,
    },
    options,
  );
  const pool = createPostgresPool(schema.url, pino({ level: "silent" }));
  const redis = await connectRedis(TEST_REDIS_URL);
  const harness: SignupHarness = {
    url,
    prefix,
    redis,
    pool,
    smtp,
    destination,
    async post(delivery) {
      const response = await fetch(`${url}/webhooks/clerk`, {
        method: "POST",
        headers: delivery.headers,
        body: delivery.body,
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
    async runsOf(eventId) {
      const response = await fetch(`${url}/api/events/${encodeURIComponent(eventId)}`);
      if (response.status === 404) return [];
      return ((await response.json()) as { runs: RunSummary[] }).runs;
    },
    async run(runId) {
      return (
        (await fetch(`${url}/api/runs/${runId}`).then((r) => r.json())) as {
          run: Awaited<ReturnType<SignupHarness["run"]>>;
        }
      ).run;
    },
    waitForRun: (eventId, functionId, statuses) =>
      poll(
        async () =>
          (await harness.runsOf(eventId)).find((run) => run.functionId === functionId && statuses.includes(run.status)),
        `${functionId} ${statuses.join("/")}`,
      ),
    storedOutsideAudit: () => everythingStored(redis, prefix, { except: [`{${prefix}}:audit`], keyNames: true }),
    async close() {
      await bridge.stop();
      await pool.end();
      await dropPrefix(prefix);
      await redis.quit();
      await schema.drop();
      await smtp.close();
      await destination.close();
    },
  };
  return harness;
}

/** A Clerk user.created for `id` with a primary email and a first name: the personal data at stake. */
export function signUp(
  id: string,
  email: string,
  firstName: string,
): Record<string, unknown> & { data: Record<string, unknown> } {
  const payload = clerkFixture("user.created") as { data: Record<string, unknown> };
  const emailId = `idn_${id}`;
  return {
    ...payload,
    data: {
      ...payload.data,
      id,
      first_name: firstName,
      primary_email_address_id: emailId,
      email_addresses: [{ id: emailId, object: "email_address", email_address: email }],
    },
  };
}

export function deletion(id: string): Record<string, unknown> {
  return { ...clerkFixture("user.deleted"), data: { id, object: "user", deleted: true } };
}

export { signFixture };

export { poll };

/** The requests the destination received whose body names this text (a user id, an address). */
export function requestsNaming(destination: HttpReceiver, text: string): number {
  return destination.requests.filter((request) => request.body.includes(text)).length;
}
