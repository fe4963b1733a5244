/** Queue names are contracts: operators watch them and workers on other machines consume them. */
export const EVENTS_QUEUE = "events";
export const RUNS_QUEUE = "runs";
/** BullMQ's event stream of each queue (job ids, states, return values, failure reasons). */
export function queueEventStreams(tag) {
    return [EVENTS_QUEUE, RUNS_QUEUE].map((queue) => `${tag}:${queue}:events`);
}
/**
 * Every key of the bridge shares one Redis Cluster hash tag, because BullMQ's Lua scripts and our
 * own touch keys of several queues at once and would otherwise fail with CROSSSLOT.
 */
export function keyPrefix(prefix) {
    return `{${prefix}}`;
}
