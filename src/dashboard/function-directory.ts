import type { Redis } from "ioredis";
import type { BridgeFunction } from "../client/index.ts";
import { describeFunction } from "./present-records.ts";

export type FunctionDescription = ReturnType<typeof describeFunction>;

/**
 * The functions page must work on a receiver that runs no functions (`--role receiver`): each
 * worker publishes what it runs at start, and a receiver without a registry of its own reads
 * that. Several worker fleets with different FUNCTIONS would overwrite each other: the page then
 * shows the last one started. Its key is `keys.functionDirectory` (src/redis/keys.ts).
 */
export async function publishFunctions(redis: Redis, key: string, functions: readonly BridgeFunction[]): Promise<void> {
  await redis.set(key, JSON.stringify(functions.map(describeFunction)));
}

export async function readPublishedFunctions(redis: Redis, key: string): Promise<FunctionDescription[]> {
  const stored = await redis.get(key);
  if (!stored) return [];
  try {
    return JSON.parse(stored) as FunctionDescription[];
  } catch {
    return [];
  }
}
