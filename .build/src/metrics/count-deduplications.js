function countDeduplications(queueEvents, metrics) {
  const count = () => metrics.eventsDeduplicated.inc();
  queueEvents.on("deduplicated", count);
  queueEvents.on("duplicated", count);
}
export {
  countDeduplications
};
