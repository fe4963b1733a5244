const EVENTS_QUEUE = "events";
const RUNS_QUEUE = "runs";
function queueEventStreams(tag) {
  return [EVENTS_QUEUE, RUNS_QUEUE].map((queue) => `${tag}:${queue}:events`);
}
function keyPrefix(prefix) {
  return `{${prefix}}`;
}
export {
  EVENTS_QUEUE,
  RUNS_QUEUE,
  keyPrefix,
  queueEventStreams
};
