function workerDepsOf(services, connection, options = services.config.engine) {
  const { engine } = services;
  if (!engine) throw new Error("the services were built for a receiver (ROLE=receiver): they have no engine");
  return { ...engine, options, logger: services.logger, keys: services.keys, metrics: services.metrics, sealer: services.sealer, connection };
}
export {
  workerDepsOf
};
