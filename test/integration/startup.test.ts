import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { networkInterfaces, tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { freePort, PrivateRedis } from "../helpers/private-redis.ts";
import { TEST_SECRET } from "../helpers/sign-fixture.ts";
import { dropPrefix, testPrefix, TEST_REDIS_URL } from "../helpers/test-redis.ts";

const BASE_ENV = {
  PATH: process.env.PATH,
  REDIS_URL: TEST_REDIS_URL,
  LOG_LEVEL: "warn",
  LOG_FORMAT: "json",
  FUNCTIONS: "none",
  WORKERS: "1",
};

/** Starts `src/app/main.ts` as `npm start` does and returns how it ended (it must end by itself). */
function start(env: Record<string, string>) {
  const result = spawnSync(process.execPath, ["--import", "tsx", "src/app/main.ts"], {
    env: { ...BASE_ENV, ...env },
    encoding: "utf8",
    timeout: 30_000,
  });
  return { status: result.status, stderr: result.stderr, stdout: result.stdout };
}

/** One line naming the code, no stack trace. */
function assertOneLine(stderr: string, code: string): void {
  assert.match(stderr, new RegExp(`^clerk-webhook-bridge: cannot start \\[${code}\\]: `));
  assert.doesNotMatch(stderr, /\n\s+at /, "no stack trace");
}

describe("a process with bad configuration stops at start", () => {
  test("an invalid variable is named, and the exit code is 1", () => {
    const { status, stderr } = start({ PORT: "eighty" });
    assert.equal(status, 1);
    assertOneLine(stderr, "config_invalid");
    assert.match(stderr, /PORT/);
  });

  test("a malformed webhook secret is named", () => {
    const { status, stderr } = start({ CLERK_WEBHOOK_SECRET: "secret123" });
    assert.equal(status, 1);
    assert.match(stderr, /CLERK_WEBHOOK_SECRET/);
  });

  test("a webhook secret that is not valid base64 (a truncated paste) is named, with which of several, in one line", () => {
    const { status, stderr } = start({ CLERK_WEBHOOK_SECRET: `${TEST_SECRET} whsec_abc`, PORT: "0" });
    assert.equal(status, 1);
    assertOneLine(stderr, "config_invalid");
    assert.match(stderr, /CLERK_WEBHOOK_SECRET: the second of 2 secrets is not valid base64/);
    assert.doesNotMatch(stderr, /Base64Coder/);
    assert.ok(!stderr.includes(TEST_SECRET), "no secret in the message");
  });

  test("a broken template stops the start with its file name", () => {
    const dir = mkdtempSync(join(tmpdir(), "cwb-transforms-"));
    writeFileSync(join(dir, "acme.js"), "export default 42;\n");
    const { status, stderr } = start({ CLERK_WEBHOOK_SECRET: TEST_SECRET, TRANSFORMS_DIR: dir, PORT: "0" });
    assert.equal(status, 1);
    assertOneLine(stderr, "transform_invalid");
    assert.match(stderr, /acme\.js/);
    assert.match(stderr, /default export must be a function/);
  });

  test("a template with a syntax error stops the start with its file name", () => {
    const dir = mkdtempSync(join(tmpdir(), "cwb-transforms-"));
    writeFileSync(join(dir, "broken.ts"), "export default (payload => {\n");
    const { status, stderr } = start({ CLERK_WEBHOOK_SECRET: TEST_SECRET, TRANSFORMS_DIR: dir, PORT: "0" });
    assert.equal(status, 1);
    assert.match(stderr, /broken\.ts/);
  });

  test("a Svix transformation that fails at its top level stops the start with its file name", () => {
    const dir = mkdtempSync(join(tmpdir(), "cwb-transforms-"));
    writeFileSync(
      join(dir, "clerk.js"),
      "var settings = endpointSettings.value;\nfunction handler(webhook) { return webhook; }\n",
    );
    const { status, stderr } = start({ CLERK_WEBHOOK_SECRET: TEST_SECRET, TRANSFORMS_DIR: dir, PORT: "0" });
    assert.equal(status, 1);
    assertOneLine(stderr, "transform_invalid");
    assert.match(
      stderr,
      /clerk\.js: cannot load the template: ReferenceError: endpointSettings is not defined \(clerk\.js:1:\d+\)/,
    );
  });

  test("a secret published in Svix's documentation is refused under NODE_ENV=production", () => {
    const { status, stderr } = start({
      CLERK_WEBHOOK_SECRET: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
      NODE_ENV: "production",
      PORT: "0",
    });
    assert.equal(status, 1);
    assertOneLine(stderr, "config_invalid");
    assert.match(
      stderr,
      /CLERK_WEBHOOK_SECRET is a secret published in Svix's documentation: anyone can forge webhooks with it/,
    );
  });
});

describe("a start that cannot reach what it needs says where, why and what to do", () => {
  test("Redis refusing connections: the URL, ECONNREFUSED and the fix", async () => {
    const port = await freePort();
    const { status, stderr } = start({ REDIS_URL: `redis://127.0.0.1:${port}`, PORT: "0" });
    assert.equal(status, 1);
    assertOneLine(stderr, "redis_unreachable");
    assert.match(
      stderr,
      new RegExp(
        `cannot connect to Redis at redis://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED: nothing listens there\\): start Redis, or set REDIS_URL`,
      ),
    );
  });

  test("Redis refusing the password: WRONGPASS, the password hidden, and the fix", async () => {
    const redis = await PrivateRedis.create({ password: "the-right-one" });
    try {
      const { status, stderr } = start({ REDIS_URL: `redis://:the-wrong-one@127.0.0.1:${redis.port}`, PORT: "0" });
      assert.equal(status, 1);
      assertOneLine(stderr, "redis_unreachable");
      assert.match(
        stderr,
        /redis:\/\/:\*\*\*@127\.0\.0\.1:\d+ \(authentication failed: WRONGPASS\): check the user and password in REDIS_URL/,
      );
      assert.doesNotMatch(stderr, /the-wrong-one/);
      const missing = start({ REDIS_URL: `redis://127.0.0.1:${redis.port}`, PORT: "0" });
      assert.match(missing.stderr, /\(authentication required: NOAUTH\): put the password in REDIS_URL/);
    } finally {
      await redis.stop();
    }
  });

  test("a port already in use: which port, and PORT= to pick another", async () => {
    const blocker: Server = createServer();
    const port = await new Promise<number>((resolve) =>
      blocker.listen(0, "127.0.0.1", () => resolve((blocker.address() as { port: number }).port)),
    );
    try {
      const { status, stderr } = start({ PORT: String(port), HOST: "127.0.0.1", REDIS_PREFIX: testPrefix() });
      assert.equal(status, 1);
      assertOneLine(stderr, "port_in_use");
      assert.match(
        stderr,
        new RegExp(
          `port ${port} on 127\\.0\\.0\\.1 is already in use \\(EADDRINUSE\\): .* pick another port with PORT=${port + 1}`,
        ),
      );
    } finally {
      blocker.close();
    }
  });

  test("bridge start fails as npm start does: the same line, exit code 1", async () => {
    const blocker: Server = createServer();
    const port = await new Promise<number>((resolve) =>
      blocker.listen(0, "127.0.0.1", () => resolve((blocker.address() as { port: number }).port)),
    );
    try {
      const result = spawnSync(process.execPath, ["bin/bridge.js", "start"], {
        env: { ...BASE_ENV, PORT: String(port), HOST: "127.0.0.1" },
        encoding: "utf8",
        timeout: 30_000,
      });
      assert.equal(result.status, 1);
      assert.match(
        result.stderr,
        /^bridge start: cannot start \[port_in_use\]: port \d+ on 127\.0\.0\.1 is already in use/,
      );
      assert.equal(result.stderr.trim().split("\n").length, 1);
    } finally {
      blocker.close();
    }
  });

  // Checked before anything starts: with Redis unreachable as well, the port is what is reported,
  // and nothing was logged on the way (no Redis, no workers), in one process or under the supervisor.
  for (const workers of ["1", "2"]) {
    test(`a port already in use is reported before Redis is tried (WORKERS=${workers})`, async () => {
      const blocker: Server = createServer();
      const port = await new Promise<number>((resolve) =>
        blocker.listen(0, "127.0.0.1", () => resolve((blocker.address() as { port: number }).port)),
      );
      try {
        const deadRedis = `redis://127.0.0.1:${await freePort()}`;
        const { status, stderr, stdout } = start({
          PORT: String(port),
          HOST: "127.0.0.1",
          REDIS_URL: deadRedis,
          WORKERS: workers,
          LOG_LEVEL: "info",
        });
        assert.equal(status, 1);
        assertOneLine(stderr, "port_in_use");
        assert.doesNotMatch(stdout, /Redis|workers|functions/, "nothing started before the port was checked");
      } finally {
        blocker.close();
      }
    });
  }
});

describe("a running bridge with no configuration", () => {
  const prefix = testPrefix();
  let child: ReturnType<typeof spawn>;
  let lines: Array<{ msg: string; level: number }> = [];
  let port = 0;
  before(async () => {
    port = await freePort();
    child = spawn(process.execPath, ["--import", "tsx", "src/app/main.ts"], {
      env: {
        ...BASE_ENV,
        LOG_LEVEL: "info",
        PORT: String(port),
        HOST: "0.0.0.0",
        REDIS_PREFIX: prefix,
        CLERK_WEBHOOK_SECRET: TEST_SECRET,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let buffer = "";
    await new Promise<void>((resolve, reject) => {
      child.once("exit", (code) => reject(new Error(`the bridge exited with ${code}: ${buffer}`)));
      child.stdout?.on("data", (chunk) => {
        buffer += chunk;
        lines = buffer
          .split("\n")
          .filter(Boolean)
          .map((line) => JSON.parse(line));
        if (lines.some((line) => line.msg.startsWith("dashboard:"))) resolve();
      });
    });
  });
  after(async () => {
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
    await dropPrefix(prefix);
  });

  test("logs its start in order: configuration, Redis, functions (the shipped example), workers, then receiving webhooks and where the dashboard is", () => {
    const order = [
      "configuration: loaded",
      "Redis: connected",
      "functions: 1 registered",
      "workers started",
      "receiving webhooks on",
      "dashboard:",
    ];
    const positions = order.map((start) => lines.findIndex((line) => line.msg.startsWith(start)));
    assert.ok(
      positions.every((position) => position >= 0),
      JSON.stringify(lines.map((line) => line.msg)),
    );
    assert.deepEqual(
      [...positions].sort((a, b) => a - b),
      positions,
      "in this order",
    );
    assert.equal(
      lines.at(-1)?.msg,
      `dashboard: http://localhost:${port}/ (loopback only: set ADMIN_TOKEN to open it to the network)`,
    );
  });

  test("serves /readyz, and the operator API and dashboard to this machine only", async () => {
    assert.equal((await fetch(`http://127.0.0.1:${port}/readyz`)).status, 200);
    assert.equal((await fetch(`http://127.0.0.1:${port}/api/events`)).status, 200);
    const remote = Object.values(networkInterfaces())
      .flat()
      .find((address) => address && !address.internal && address.family === "IPv4");
    // From another address (this machine's own network interface, which is not loopback):
    if (remote) {
      const api = await fetch(`http://${remote.address}:${port}/api/events`);
      assert.equal(api.status, 403);
      assert.equal((await api.json()).error.code, "loopback_only");
      const page = await fetch(`http://${remote.address}:${port}/`);
      assert.equal(page.status, 403);
      assert.match(await page.text(), /ADMIN_TOKEN/);
      assert.equal(
        (await fetch(`http://${remote.address}:${port}/readyz`)).status,
        200,
        "webhooks and probes stay open",
      );
    }
    // Through a proxy on this machine: a forwarded request is not local either.
    const proxied = await fetch(`http://127.0.0.1:${port}/api/events`, {
      headers: { "x-forwarded-for": "203.0.113.9" },
    });
    assert.equal(proxied.status, 403);
  });
});
