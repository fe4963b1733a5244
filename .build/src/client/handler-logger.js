const LEVELS = /* @__PURE__ */ new Set(["trace", "debug", "info", "warn", "error", "fatal"]);
function createHandlerLogger(target, muted, pinoStyle) {
  const call = (level) => (...args) => {
    if (muted()) return;
    const logger = target();
    const method = logger[level];
    if (typeof method === "function") method.apply(logger, pinoStyle ? objectFirst(args) : args);
  };
  return new Proxy({}, {
    get(_self, property) {
      if (typeof property === "string" && LEVELS.has(property)) return call(property);
      const logger = target();
      const value = logger[property];
      return typeof value === "function" ? value.bind(logger) : value;
    }
  });
}
function objectFirst(args) {
  const [first, second, ...rest] = args;
  if (typeof first === "string" && typeof second === "object" && second !== null) return [second, first, ...rest];
  return args;
}
export {
  createHandlerLogger,
  objectFirst
};
