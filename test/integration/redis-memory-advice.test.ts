import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Redis } from "ioredis";
import { checkRedisMemory, PACKED_HASH_VALUE_BYTES } from "../../src/redis/check-redis-memory.ts";
import { PrivateRedis } from "../helpers/private-redis.ts";

describe("advice on how Redis packs the bridge's hashes", () => {
  let server: PrivateRedis;
  let redis: Redis;
  before(async () => {
    server = await PrivateRedis.create();
    redis = new Redis(server.url);
  });
  after(async () => {
    redis.disconnect();
    await server.stop();
  });

  test("at Redis's default (64 bytes) the advice names the setting and the value to set", async () => {
    await redis.config("SET", "hash-max-listpack-value", "64");
    const advice = await checkRedisMemory(redis);
    assert.match(advice ?? "", /hash-max-listpack-value/);
    assert.match(advice ?? "", new RegExp(`Set hash-max-listpack-value ${PACKED_HASH_VALUE_BYTES}\\b`));
  });

  test("with the setting raised there is no advice, and a hash of a run's size stays packed", async () => {
    await redis.config("SET", "hash-max-listpack-value", String(PACKED_HASH_VALUE_BYTES));
    assert.equal(await checkRedisMemory(redis), undefined);
    await redis.hset(
      "run",
      "status",
      "completed",
      "step:welcome-email",
      JSON.stringify({ op: "run", output: "x".repeat(300) }),
    );
    assert.equal(await redis.object("ENCODING", "run"), "listpack");
  });

  test("a Redis that refuses CONFIG gets no advice rather than a failed start", async () => {
    const refusing = new Proxy(redis, {
      get: (target, name) =>
        name === "config" ? () => Promise.reject(new Error("ERR unknown command 'CONFIG'")) : Reflect.get(target, name),
    });
    assert.equal(await checkRedisMemory(refusing), undefined);
  });
});
