import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { freePort } from "../helpers/private-redis.ts";
import { clerkFixture, signFixture, TEST_SECRET } from "../helpers/sign-fixture.ts";
import { dropPrefix, testPrefix, TEST_REDIS_URL } from "../helpers/test-redis.ts";
import { waitFor } from "../helpers/wait-until.ts";

/** The pids of a process's children, from /proc (the supervisor's bridge processes). */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

const until = <T>(read: () => T | Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 30_000) =>
  waitFor(read, done, what, timeoutMs, 100);

describe("WORKERS=2: a supervisor and two bridge processes", () => {
  const prefix = testPrefix();
  let supervisor: ChildProcess;
  let port: number;
  let output = "";
  before(async () => {
    port = await freePort();
    supervisor = spawn(process.execPath, ["--import", "tsx", "src/app/main.ts"], {
      env: {
        PATH: process.env.PATH,
        WORKERS: "2",
        PORT: String(port),
        HOST: "127.0.0.1",
        REDIS_URL: TEST_REDIS_URL,
        REDIS_PREFIX: prefix,
        CLERK_WEBHOOK_SECRET: TEST_SECRET,
        FUNCTIONS: "none",
        LOG_LEVEL: "info",
        LOG_FORMAT: "json",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    supervisor.stdout?.on("data", (chunk) => (output += chunk));
    supervisor.stderr?.on("data", (chunk) => (output += chunk));
    await until(
      () => output,
      (text) => text.includes("supervisor: 2 bridge processes running"),
      "the supervisor did not start its processes",
      60_000,
    );
  });
  after(async () => {
    if (supervisor.exitCode === null) supervisor.kill("SIGKILL");
    await dropPrefix(prefix);
  });

  test("runs two bridge processes sharing one port, and /metrics sums them", async () => {
    assert.equal(childrenOf(supervisor.pid!).length, 2);
    for (let i = 0; i < 10; i++) {
      const delivery = signFixture(clerkFixture("user.created"));
      const response = await fetch(`http://127.0.0.1:${port}/webhooks/clerk`, {
        method: "POST",
        headers: delivery.headers,
        body: delivery.body,
      });
      assert.equal(response.status, 200);
    }
    // Whichever process answers the scrape, the count covers both.
    for (let scrape = 0; scrape < 4; scrape++) {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      assert.match(text, /^bridge_events_accepted_total\{source="clerk"\} 10$/m);
    }
  });

  test("a process killed with SIGKILL is restarted, and the bridge keeps answering", async () => {
    const [victim] = childrenOf(supervisor.pid!);
    process.kill(victim!, "SIGKILL");
    const after = await until(
      () => childrenOf(supervisor.pid!),
      (pids) => pids.length === 2 && !pids.includes(victim!),
      "no replacement process",
    );
    assert.equal(after.length, 2);
    await until(
      () =>
        fetch(`http://127.0.0.1:${port}/readyz`).then(
          (r) => r.status,
          () => 0,
        ),
      (status) => status === 200,
      "not ready after the restart",
    );
    assert.match(output, /supervisor: a bridge process ended; restarting it/);
  });

  test("SIGTERM drains every process and the supervisor exits 0", async () => {
    const pids = childrenOf(supervisor.pid!);
    supervisor.kill("SIGTERM");
    const code = await new Promise((resolve) => supervisor.once("exit", (exitCode) => resolve(exitCode)));
    assert.equal(code, 0);
    for (const pid of pids) assert.throws(() => process.kill(pid, 0), "every bridge process has ended");
  });
});

describe("WORKERS and the embedded PostgreSQL", () => {
  test("WORKERS=3 without DATABASE_URL, with user-sync on, is refused naming both variables", () => {
    const result = spawnSync(process.execPath, ["--import", "tsx", "src/app/main.ts"], {
      env: {
        PATH: process.env.PATH,
        WORKERS: "3",
        REDIS_URL: TEST_REDIS_URL,
        FUNCTIONS: "user-sync",
        LOG_LEVEL: "warn",
      },
      encoding: "utf8",
      timeout: 30_000,
    });
    assert.equal(result.status, 1);
    assert.match(
      result.stderr,
      /cannot start \[config_invalid\]: invalid configuration:\n  WORKERS: 3 processes need DATABASE_URL/,
    );
  });
});
