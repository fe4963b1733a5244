import { basename } from "node:path";
export function describeDestination(destination) {
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
export async function publishDestinations(redis, key, destinations) {
    await redis.set(key, JSON.stringify(destinations.map(describeDestination)));
}
export async function readPublishedDestinations(redis, key) {
    const stored = await redis.get(key);
    if (!stored)
        return [];
    try {
        return JSON.parse(stored);
    }
    catch {
        return [];
    }
}
