import assert from "node:assert/strict";
import { createServer } from "node:net";
import { describe, test } from "node:test";
import { Redis } from "ioredis";
import { createCommandClient } from "../../src/redis/create-redis.ts";
import { isRedisOutage } from "../../src/redis/redis-outage.ts";
import { TEST_REDIS_URL, testPrefix } from "../helpers/test-redis.ts";

/** What a command on the request path's client throws, with ioredis's real errors. */
async function thrown(client: Redis, command: (client: Redis) => Promise<unknown>): Promise<unknown> {
  try {
    await command(client);
  } catch (error) {
    return error;
  }
  assert.fail("the command succeeded");
}

describe("isRedisOutage tells a Redis outage from any other failure", () => {
  test("a refused connection, a closed client and a server that never answers are outages", async () => {
    const refused = createCommandClient("redis://127.0.0.1:1", { retryStrategy: () => null, lazyConnect: true });
    refused.on("error", () => {});
    await refused.connect().catch(() => {});
    assert.ok(isRedisOutage(await thrown(refused, (c) => c.set("k", "v"))));
    refused.disconnect();

    // A server that accepts the connection and never answers: the command times out.
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as { port: number };
    const stuck = createCommandClient(`redis://127.0.0.1:${port}`, {
      commandTimeout: 200,
      enableReadyCheck: false,
      retryStrategy: () => null,
    });
    stuck.on("error", () => {});
    try {
      assert.ok(isRedisOutage(await thrown(stuck, (c) => c.set("k", "v"))));
    } finally {
      stuck.disconnect();
      silent.close();
    }
  });

  test("a wrong command or a key of the wrong type is not an outage", async () => {
    const redis = new Redis(TEST_REDIS_URL);
    const key = `{${testPrefix()}}:wrongtype`;
    try {
      await redis.hset(key, "a", "1");
      assert.equal(isRedisOutage(await thrown(redis, (c) => c.lpush(key, "x"))), false, "WRONGTYPE");
      assert.equal(isRedisOutage(await thrown(redis, (c) => c.call("NO-SUCH-COMMAND"))), false, "unknown command");
      assert.equal(isRedisOutage(new RangeError("Maximum call stack size exceeded")), false);
      assert.equal(isRedisOutage("a string"), false);
    } finally {
      await redis.del(key);
      redis.disconnect();
    }
  });
});
