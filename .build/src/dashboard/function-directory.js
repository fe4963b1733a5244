import { describeFunction } from "./present-records.js";
async function publishFunctions(redis, key, functions) {
  await redis.set(key, JSON.stringify(functions.map(describeFunction)));
}
async function readPublishedFunctions(redis, key) {
  const stored = await redis.get(key);
  if (!stored) return [];
  try {
    return JSON.parse(stored);
  } catch {
    return [];
  }
}
export {
  publishFunctions,
  readPublishedFunctions
};
