/** Queue names are contracts: operators watch them and workers on other machines consume them. */
export const EVENTS_QUEUE = "events";
export const RUNS_QUEUE = "runs";

/**
 * Every key of the bridge shares one Redis Cluster hash tag, because BullMQ's Lua scripts and our
 * own touch keys of several queues at once and would otherwise fail with CROSSSLOT.
 */
export function keyPrefix(prefix: string): string {
  return `{${prefix}}`;
}
