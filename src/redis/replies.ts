import type { Redis } from "ioredis";

/** A reply that should be a list of strings (HKEYS, SMEMBERS, ZRANGE ...), as one; anything else in it is dropped. */
export function stringsOf(reply: unknown): string[] {
  return Array.isArray(reply) ? reply.filter((item): item is string => typeof item === "string") : [];
}

/** One setting's value by CONFIG GET, or undefined when Redis has no such setting or refuses CONFIG (some managed services). */
export async function configValue(redis: Redis, name: string): Promise<string | undefined> {
  const [, value] = stringsOf(await redis.config("GET", name).catch(() => []));
  return value;
}
