import assert from "node:assert/strict";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { Redis } from "ioredis";
import { isStartupError } from "../../src/errors.ts";
import { ensureLocalRedis } from "../../src/redis/ensure-local-redis.ts";
import { freePort } from "../helpers/private-redis.ts";

describe("first run without REDIS_URL", () => {
  test("a configured REDIS_URL is used as given, without probing", async () => {
    assert.deepEqual(await ensureLocalRedis("redis://elsewhere:6380", "data"), { url: "redis://elsewhere:6380" });
  });

  test("when nothing answers, a private redis-server is started with its files under DATA_DIR", async () => {
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), "cwb-data-"));
    const local = await ensureLocalRedis(undefined, dataDir, { port, binary: "redis-server" });
    try {
      assert.ok(local.child, "a redis-server was started");
      assert.equal(local.url, `redis://127.0.0.1:${port}`);
      const redis = new Redis(local.url);
      assert.equal(await redis.config("GET", "appendonly").then((pair) => (pair as string[])[1]), "yes");
      redis.disconnect();
      assert.ok(existsSync(join(dataDir, "redis")));
    } finally {
      local.child?.kill("SIGTERM");
    }
  });

  test("when one already answers, it is used and nothing is started", async () => {
    const local = await ensureLocalRedis(undefined, "data");
    assert.equal(local.url, "redis://127.0.0.1:6379");
    assert.equal(local.child, undefined);
  });

  test("without Redis and without redis-server, the error says how to get Redis", async () => {
    const port = await freePort();
    await assert.rejects(
      ensureLocalRedis(undefined, "data", { port, binary: "no-such-redis-server" }),
      (error: Error) =>
        isStartupError(error) &&
        error.code === "redis_unreachable" &&
        /REDIS_URL/.test(error.message) &&
        /apt-get install redis-server/.test(error.message),
    );
  });
});
