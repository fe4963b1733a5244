import { basename } from "node:path";
import type { Redis } from "ioredis";
import type { LoadedDestination } from "./check-destination.ts";

/** A destination as the functions page shows it: never a variable's value. */
export interface DestinationDescription {
  name: string;
  file: string;
  events: readonly string[];
  if?: string;
  on: boolean;
  /** The variables that must still be set to switch it on. */
  missing: readonly string[];
  signed: boolean;
  timeoutMs: number;
}

export function describeDestination(destination: LoadedDestination): DestinationDescription {
  return {
    name: destination.name,
    file: basename(destination.file),
    events: destination.events,
    ...(destination.if === undefined ? {} : { if: destination.if }),
    on: destination.on,
    missing: destination.missing,
    signed: destination.signingSecret !== undefined,
    timeoutMs: destination.timeoutMs,
  };
}

/**
 * Destinations are loaded where functions run, with the workers' variables, so the workers
 * publish them at start (as they publish their functions, src/dashboard/function-directory.ts)
 * and the dashboard reads them from Redis, on a receiver without secrets too.
 */
export async function publishDestinations(
  redis: Redis,
  key: string,
  destinations: readonly LoadedDestination[],
): Promise<void> {
  await redis.set(key, JSON.stringify(destinations.map(describeDestination)));
}

export async function readPublishedDestinations(redis: Redis, key: string): Promise<DestinationDescription[]> {
  const stored = await redis.get(key);
  if (!stored) return [];
  try {
    return JSON.parse(stored) as DestinationDescription[];
  } catch {
    return [];
  }
}
