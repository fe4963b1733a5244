import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { unpackData } from "../../src/crypto/packed-data.ts";

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/** A key prefix of its own for each test, so test files run in parallel and never see each other. */
export function testPrefix(): string {
  return `test-${randomUUID().slice(0, 12)}`;
}

/** Deletes every key under a prefix (with its {hash tag}); call it in afterEach/after. */
export async function dropPrefix(prefix: string, url = TEST_REDIS_URL): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `{${prefix}}*`, "COUNT", 1000);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}

/** Every key under a prefix, sorted. */
export async function keysUnder(redis: Redis, prefix: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = "0";
  do {
    const [next, names] = await redis.scan(cursor, "MATCH", `{${prefix}}*`, "COUNT", 1000);
    cursor = next;
    found.push(...names);
  } while (cursor !== "0");
  return found.sort();
}

/**
 * Every value Redis holds under a prefix, of every type, as one text: to look for personal data in
 * it, packed event data read unpacked. `except` leaves keys out; `keyNames` adds the keys' own names
 * to the text.
 */
export async function everythingStored(
  redis: Redis,
  prefix: string,
  options: { except?: readonly string[]; keyNames?: boolean } = {},
): Promise<string> {
  const found: string[] = [];
  for (const name of await keysUnder(redis, prefix)) {
    if (options.except?.includes(name)) continue;
    if (options.keyNames) found.push(name);
    const type = await redis.type(name);
    if (type === "hash")
      found.push(
        ...Object.entries(await redis.hgetall(name))
          .flat()
          .filter((_, i) => options.keyNames || i % 2 === 1),
      );
    else if (type === "string") found.push((await redis.get(name)) ?? "");
    else if (type === "list") found.push(...(await redis.lrange(name, 0, -1)));
    else if (type === "set") found.push(...(await redis.smembers(name)));
    else if (type === "zset") found.push(...(await redis.zrange(name, "0", "-1")));
    else if (type === "stream") found.push(JSON.stringify(await redis.xrange(name, "-", "+")));
  }
  // Packed event data is read as it was sent: a test that looks for what must not be stored sees it.
  return found.join("\n").replace(/zip:v1:[A-Za-z0-9+/=]+/g, (packed) => JSON.stringify(unpackData(packed)));
}
