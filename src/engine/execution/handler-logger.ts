/** The levels every handler's logger has (the client's `InngestLogger`), and whatever its target adds. */
export interface HandlerLogger {
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
  debug(...args: unknown[]): void;
}

const LEVELS = new Set(["trace", "debug", "info", "warn", "error", "fatal"]);

/**
 * The handler's `logger`, as Inngest's ProxyLogger: silent while the handler replays steps
 * already done (a line logged before a sleep is not logged again after it), and forwarding any
 * other property to the logger underneath. The logger is made on first use (`target`).
 *
 * For the bridge's pino logger (`pinoStyle`), both argument orders keep the object: Inngest's
 * docs write `logger.info("msg", { id })`, pino expects `logger.info({ id }, "msg")` and would
 * drop the object of the first. A logger given to `new Inngest({ logger })` gets the arguments
 * as written, as Inngest passes them.
 */
export function createHandlerLogger(target: () => object, muted: () => boolean, pinoStyle: boolean): HandlerLogger {
  const call =
    (level: string) =>
    (...args: unknown[]) => {
      if (muted()) return;
      const logger = target() as Record<string, unknown>;
      const method = logger[level];
      if (typeof method === "function") method.apply(logger, pinoStyle ? objectFirst(args) : args);
    };
  return new Proxy({} as HandlerLogger, {
    get(_self, property) {
      if (typeof property === "string" && LEVELS.has(property)) return call(property);
      const logger = target() as Record<PropertyKey, unknown>;
      const value = logger[property];
      return typeof value === "function" ? value.bind(logger) : value;
    },
  });
}

/** `("msg", { id }, ...rest)` → `({ id }, "msg", ...rest)`; anything else unchanged. */
export function objectFirst(args: unknown[]): unknown[] {
  const [first, second, ...rest] = args;
  if (typeof first === "string" && typeof second === "object" && second !== null) return [second, first, ...rest];
  return args;
}
