import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { ClerkAPIResponseError } from "@clerk/backend/errors";
import { backfillEventId, toBackfillEvent } from "../../src/backfill/backfill-event.ts";
import { loadBackfillState, saveBackfillState, type BackfillState } from "../../src/backfill/backfill-state.ts";
import { classifyClerkError } from "../../src/backfill/clerk-pages.ts";
import { batches, createEventApiIntake } from "../../src/backfill/event-api-intake.ts";
import { createProgress, formatBar, formatDuration, formatLine } from "../../src/backfill/progress.ts";
import { RetriesExhaustedError, withRetries, type FailureKind } from "../../src/backfill/with-retries.ts";
import { runCapturedCli } from "../helpers/cli.ts";

describe("backfill events", () => {
  const record = {
    id: "user_1",
    createdAt: 1000,
    updatedAt: 2000,
    raw: { object: "user", id: "user_1", updated_at: 2000 },
  };

  test("carry the Backend API JSON as data and updated_at as ts", () => {
    const event = toBackfillEvent("clerk/user.backfilled", record);
    assert.deepEqual(event, { id: backfillEventId(record), name: "clerk/user.backfilled", data: record.raw, ts: 2000 });
  });

  test("the id is the same for the same version of a user, and new for a new version or another user", () => {
    assert.equal(backfillEventId(record), backfillEventId({ ...record }));
    assert.match(backfillEventId(record), /^backfill-[A-Za-z0-9_-]{22}$/);
    assert.notEqual(backfillEventId(record), backfillEventId({ ...record, updatedAt: 2001 }));
    assert.notEqual(backfillEventId(record), backfillEventId({ ...record, id: "user_2" }));
  });
});

describe("Event API batches", () => {
  const event = (n: number, size = 10) => ({
    id: `e${n}`,
    name: "clerk/user.backfilled",
    data: { pad: "x".repeat(size) },
  });

  test("hold at most 100 events, in order", () => {
    const events = Array.from({ length: 250 }, (_, n) => event(n));
    const split = batches(events, 100, 1 << 20);
    assert.deepEqual(
      split.map((batch) => batch.length),
      [100, 100, 50],
    );
    assert.deepEqual(split.flat(), events);
  });

  test("stay under the byte budget, except an event alone larger than it", () => {
    const split = batches([event(1, 400), event(2, 400), event(3, 2000), event(4, 10)], 100, 1000);
    assert.deepEqual(
      split.map((batch) => batch.map((e) => e.id)),
      [["e1", "e2"], ["e3"], ["e4"]],
    );
  });
});

describe("the Event API intake", () => {
  const events = Array.from({ length: 30 }, (_, n) => ({
    id: `e${n}`,
    name: "clerk/user.backfilled",
    data: { n, pad: "x".repeat(100) },
  }));

  /** A bridge answering through `answer`, keeping the events it accepted. */
  function bridge(answer: (body: Array<{ id: string }>, call: number) => Response | undefined) {
    const accepted: string[] = [];
    let calls = 0;
    const fetch = (async (_url: string, init: RequestInit) => {
      const body = JSON.parse(String(init.body)) as Array<{ id: string }>;
      const response = answer(body, ++calls);
      if (response) return response;
      accepted.push(...body.map((event) => event.id));
      return Response.json({ ids: body.map((event) => event.id), status: 200 });
    }) as unknown as typeof globalThis.fetch;
    const intake = createEventApiIntake({
      baseUrl: "http://bridge.test",
      eventKey: "k",
      fetch,
      retry: { attempts: 3, baseMs: 1, maxWaits: 5, sleep: async () => {} },
      maxBatch: 10,
    });
    return { intake, accepted, calls: () => calls };
  }

  test("a 503 is retried, and every event arrives once", async () => {
    const t = bridge((_body, call) =>
      call <= 2
        ? Response.json({ error: { code: "redis_unavailable", message: "later" } }, { status: 503 })
        : undefined,
    );
    await t.intake.send(events);
    assert.deepEqual(
      t.accepted,
      events.map((event) => event.id),
    );
  });

  test("a body over MAX_BODY_BYTES (413) is split until it fits", async () => {
    const t = bridge((body) =>
      JSON.stringify(body).length > 600
        ? Response.json({ error: { code: "payload_too_large", message: "too large" } }, { status: 413 })
        : undefined,
    );
    await t.intake.send(events);
    assert.deepEqual(
      t.accepted,
      events.map((event) => event.id),
    );
  });

  test("one event larger than MAX_BODY_BYTES is named", async () => {
    const t = bridge(() =>
      Response.json({ error: { code: "payload_too_large", message: "too large" } }, { status: 413 }),
    );
    await assert.rejects(
      t.intake.send(events.slice(0, 2)),
      /event e0 is larger than the bridge's MAX_BODY_BYTES \(413\)/,
    );
  });

  test("an unknown key names EVENT_KEYS and TRUSTED_EVENT_KEYS, and is not retried", async () => {
    const t = bridge(() =>
      Response.json({ error: { code: "event_key_invalid", message: "the event key is not valid" } }, { status: 401 }),
    );
    await assert.rejects(
      t.intake.send(events),
      /the bridge does not accept EVENT_KEY \(401 event_key_invalid\): .*TRUSTED_EVENT_KEYS/,
    );
    assert.equal(t.calls(), 1);
  });
});

describe("Clerk's errors", () => {
  // As the client throws them; a network failure has no status (the client passes undefined).
  const clerkError = (status: number | undefined, retryAfter?: number) =>
    new ClerkAPIResponseError("error", {
      data: [{ code: "some_code", message: "some message" }],
      status: status as number,
      retryAfter,
    });

  test("a 429 waits for Retry-After, in seconds", () => {
    assert.deepEqual(classifyClerkError(clerkError(429, 3), "http://clerk.test"), {
      kind: "wait",
      ms: 3000,
      reason: "rate limited by Clerk (429)",
    });
  });

  test("a 429 without Retry-After waits out Clerk's 10-second window", () => {
    assert.equal((classifyClerkError(clerkError(429), "x") as { ms: number }).ms, 10_000);
  });

  test("a 5xx and a network failure back off", () => {
    assert.equal(classifyClerkError(clerkError(502), "x").kind, "backoff");
    assert.match(
      (classifyClerkError(clerkError(undefined), "http://clerk.test") as { reason: string }).reason,
      /cannot reach Clerk at http:\/\/clerk\.test/,
    );
  });

  test("a refused key fails at once and names CLERK_SECRET_KEY", () => {
    const failure = classifyClerkError(clerkError(401), "x") as Extract<FailureKind, { kind: "fail" }>;
    assert.equal(failure.kind, "fail");
    assert.match(failure.error.message, /Clerk refused CLERK_SECRET_KEY \(401: some message\)/);
  });
});

describe("withRetries", () => {
  const policy = { attempts: 3, baseMs: 1, maxWaits: 2, sleep: async () => {} };

  test("waits as told without using up attempts, backs off, and gives up after the attempts", async () => {
    const outcomes: FailureKind[] = [
      { kind: "wait", ms: 1000, reason: "429" },
      { kind: "backoff", reason: "503" },
      { kind: "wait", ms: 1000, reason: "429" },
      { kind: "backoff", reason: "503" },
    ];
    const waits: number[] = [];
    let calls = 0;
    await assert.rejects(
      withRetries(
        () => Promise.reject(new Error(`call ${++calls}`)),
        () => outcomes.shift() ?? { kind: "backoff", reason: "503" },
        {
          ...policy,
          onWait: ({ ms }) => waits.push(ms),
        },
      ),
      (error: Error) => error instanceof RetriesExhaustedError && /503 \(3 attempts\)/.test(error.message),
    );
    assert.equal(calls, 5);
    assert.deepEqual(waits.slice(0, 1), [1000]);
  });

  test("a failure that cannot pass is thrown at once, as classified", async () => {
    const refused = new Error("refused");
    let calls = 0;
    await assert.rejects(
      withRetries(
        () => Promise.reject(new Error(String(++calls))),
        () => ({ kind: "fail", error: refused }),
        policy,
      ),
      refused,
    );
    assert.equal(calls, 1);
  });
});

describe("the state file", () => {
  const dir = mkdtempSync(join(tmpdir(), "backfill-state-"));
  const state: BackfillState = {
    version: 1,
    resource: "users",
    instance: "https://api.clerk.com#abc",
    cursor: { offset: 200, lastCreatedAt: 5000, lastIds: ["user_200"] },
    sent: 200,
    pages: 3,
    startedAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-01-01T00:00:01.000Z",
  };

  test("reads back what was saved, in a folder created on demand", async () => {
    const path = join(dir, "nested", "backfill-users.json");
    await saveBackfillState(path, state);
    assert.deepEqual(await loadBackfillState(path), state);
    assert.deepEqual(JSON.parse(readFileSync(path, "utf8")), state);
  });

  test("is absent before the first page", async () => {
    assert.equal(await loadBackfillState(join(dir, "none.json")), undefined);
  });

  test("a file that is not a backfill state is refused, naming --restart", async () => {
    const path = join(dir, "other.json");
    writeFileSync(path, JSON.stringify({ hello: "world" }));
    await assert.rejects(loadBackfillState(path), /other\.json is not a backfill state file; pass --restart/);
    writeFileSync(path, "not json");
    await assert.rejects(loadBackfillState(path), /is not a backfill state file/);
  });
});

describe("progress", () => {
  const stats = { done: 1200, total: 2500, doneThisRun: 1200, elapsedMs: 4000 };

  test("a bar with counts, percentage, rate and ETA", () => {
    assert.equal(formatBar("users", stats, 10), "users [█████░░░░░]  1,200/2,500  48%  300/s  ETA 4s");
    assert.equal(formatLine("users", { ...stats, done: 2500 }), "users: 2,500/2,500  100%  300/s  ETA 0s");
  });

  test("durations read as people write them", () => {
    assert.deepEqual(
      [formatDuration(4000), formatDuration(125_000), formatDuration(3_780_000)],
      ["4s", "2m 05s", "1h 03m"],
    );
  });

  test("off a terminal: a line at most every 5 seconds, every remark, and the final figures once", () => {
    let clock = 0;
    const lines: string[] = [];
    const progress = createProgress({ write: (text: string) => lines.push(text) }, "users", () => clock);
    clock = 10_000;
    progress.update({ ...stats, done: 100 });
    clock = 11_000;
    progress.update({ ...stats, done: 200 });
    progress.note("rate limited by Clerk (429); retrying in 1s");
    clock = 16_000;
    progress.update({ ...stats, done: 300 });
    progress.finish();
    assert.deepEqual(lines, [
      "users: 100/2,500  4%  300/s  ETA 8s\n",
      "users: rate limited by Clerk (429); retrying in 1s\n",
      "users: 300/2,500  12%  300/s  ETA 7s\n",
    ]);
  });

  test("on a terminal: one line redrawn in place, ended by a newline", () => {
    let text = "";
    const progress = createProgress({ write: (chunk: string) => (text += chunk), isTTY: true }, "users", () => 1000);
    progress.update(stats);
    progress.finish();
    assert.equal(text.split("\n").length, 2);
    assert.ok(text.startsWith("\r\x1b[2Kusers ["));
    assert.ok(text.endsWith("ETA 4s\n"));
  });
});

describe("bridge backfill arguments", () => {
  const noNetwork = (() => Promise.reject(new Error("no network in unit tests"))) as unknown as typeof fetch;
  const cli = (argv: string[], env: Record<string, string> = {}) =>
    runCapturedCli(["backfill", ...argv], env, { fetch: noNetwork });
  const key = { CLERK_SECRET_KEY: "sk_test_x" };

  for (const [argv, env, message] of [
    [[], key, /^bridge backfill: backfill what\? one of users, organizations, organization-memberships$/m],
    [["people"], key, /cannot backfill "people": one of users, organizations, organization-memberships/],
    [["users"], {}, /CLERK_SECRET_KEY is not set/],
    [["users", "--limit-per-page", "5"], key, /--limit-per-page must be a whole number from 10 to 500, got "5"/],
    [["users", "--limit-per-page", "1e2"], key, /--limit-per-page must be a whole number from 10 to 500, got "1e2"/],
    [
      ["users"],
      { ...key, CLERK_API_URL: "api.clerk.com" },
      /CLERK_API_URL must be an http:\/\/ or https:\/\/ URL, got "api.clerk.com"/,
    ],
    [["users"], { ...key, BRIDGE_URL: "localhost:8288" }, /BRIDGE_URL must be an http:\/\/ or https:\/\/ URL/],
    [
      ["users"],
      { ...key, BRIDGE_URL: "http://127.0.0.1:1" },
      /cannot reach the bridge at http:\/\/127\.0\.0\.1:1 .*set BRIDGE_URL otherwise, or backfill with --direct/,
    ],
  ] as const) {
    test(`${JSON.stringify(argv)} ${JSON.stringify(env)}: one line naming the fix, exit 2`, async () => {
      const result = await cli([...argv], { ...env });
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, message);
      assert.equal(result.stderr.split("\n").length, 2, result.stderr);
    });
  }
});
