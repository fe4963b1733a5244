import { basename } from "node:path";
function describeDestination(destination) {
  return {
    name: destination.name,
    file: basename(destination.file),
    events: destination.events,
    ...destination.if === void 0 ? {} : { if: destination.if },
    on: destination.on,
    missing: destination.missing,
    signed: destination.signingSecret !== void 0,
    timeoutMs: destination.timeoutMs
  };
}
async function publishDestinations(redis, key, destinations) {
  await redis.set(key, JSON.stringify(destinations.map(describeDestination)));
}
async function readPublishedDestinations(redis, key) {
  const stored = await redis.get(key);
  if (!stored) return [];
  try {
    return JSON.parse(stored);
  } catch {
    return [];
  }
}
export {
  describeDestination,
  publishDestinations,
  readPublishedDestinations
};
