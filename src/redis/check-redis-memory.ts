import type { Redis } from "ioredis";
import { configValue } from "./replies.ts";

/**
 * The largest value that keeps a hash packed (a listpack) that the bridge recommends. Its run
 * hashes hold step outputs, and an event's job hash holds the event, a few hundred bytes to a few
 * KB each; at Redis's default (64 bytes) each becomes a hash table, which costs more than the data.
 * Measured with `npm run bench:memory`: 8.1 KiB per sign-up at 64 bytes, 5.5 KiB at 4096.
 */
export const PACKED_HASH_VALUE_BYTES = 4096;

/** Below this the advice is given: most of the bridge's hashes would not be packed. */
const ADVISED_FROM = 1024;

/**
 * Advice, or undefined: whether Redis stores the bridge's hashes packed. Redis 7 names the setting
 * hash-max-listpack-value, Redis 6 hash-max-ziplist-value; a Redis that refuses CONFIG (some
 * managed services) gets no advice.
 */
export async function checkRedisMemory(redis: Redis): Promise<string | undefined> {
  for (const setting of ["hash-max-listpack-value", "hash-max-ziplist-value"]) {
    const value = await configValue(redis, setting);
    if (value === undefined) continue;
    if (Number(value) >= ADVISED_FROM) return undefined;
    return (
      `Redis keeps a hash packed only while its values fit in ${value} bytes (${setting}); the bridge's runs and events are larger. ` +
      `Set ${setting} ${PACKED_HASH_VALUE_BYTES} to use about 30% less memory (README: Sizing Redis).`
    );
  }
  return undefined;
}
