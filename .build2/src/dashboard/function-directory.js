import { describeFunction } from "./present-records.js";
/**
 * The functions page must work on a receiver that runs no functions (`--role receiver`): each
 * worker publishes what it runs at start, and a receiver without a registry of its own reads
 * that. Several worker fleets with different FUNCTIONS would overwrite each other: the page then
 * shows the last one started. Its key is `keys.functionDirectory` (src/redis/keys.ts).
 */
export async function publishFunctions(redis, key, functions) {
    await redis.set(key, JSON.stringify(functions.map(describeFunction)));
}
export async function readPublishedFunctions(redis, key) {
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
