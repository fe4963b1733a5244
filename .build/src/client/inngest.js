import { FunctionDefinitionError } from "../engine/create-function.js";
import { defineFunction } from "./define-function.js";
import { sendSignalFromProcess, sendToIntake } from "./intake.js";
import { initMiddleware } from "./middleware/middleware-stack.js";
import { sendThroughMiddleware } from "./middleware/run-hooks.js";
const TRANSPORT_OPTIONS = [
  "eventKey",
  "baseUrl",
  "fetch",
  "env",
  "isDev",
  "appVersion",
  "signingKey",
  "signingKeyFallback",
  "internalLogger",
  "logLevel",
  "optimizeParallelism",
  "checkpointing",
  "experimentalCheckpointing",
  "aiMetadata",
  "sessionPropagation",
  "endpointAdapter"
];
const KNOWN_OPTIONS = /* @__PURE__ */ new Set(["id", "schemas", "middleware", "logger", ...TRANSPORT_OPTIONS]);
class Inngest {
  id;
  #middleware;
  #logger;
  constructor(options) {
    const id = options?.id;
    if (typeof id !== "string" || id.trim() === "") throw new FunctionDefinitionError("An `id` must be passed to create an Inngest instance.");
    const where = `Inngest client "${id}"`;
    for (const key of Object.keys(options)) {
      if (!KNOWN_OPTIONS.has(key)) throw new FunctionDefinitionError(`${where}: unknown option "${key}"`);
    }
    if (options.logger !== void 0 && !isLogger(options.logger)) throw new FunctionDefinitionError(`${where}: logger must have info, warn and error methods`);
    this.id = id;
    this.#logger = options.logger;
    this.#middleware = initMiddleware(options.middleware, { client: this }, where);
  }
  createFunction(...args) {
    return defineFunction({ client: this, appId: this.id, middleware: this.#middleware, ...this.#logger ? { logger: this.#logger } : {} }, args);
  }
  /**
   * Sends events through the bridge's intake, as `POST /e/:key` does (same validation, same
   * dedupe by id), after `onSendEvent` middleware. Answers the ids in the order sent.
   */
  async send(payload) {
    const payloads = [payload].flat();
    if (payloads.length === 0) return { ids: [] };
    return { ids: await sendThroughMiddleware(this.#middleware, payloads, sendToIntake) };
  }
  /** Resumes the run waiting in `step.waitForSignal` for this signal; `runId` is undefined when none waits. */
  sendSignal(options) {
    return sendSignalFromProcess(options);
  }
}
function isLogger(value) {
  const logger = value;
  return typeof logger === "object" && logger !== null && ["info", "warn", "error"].every((level) => typeof logger[level] === "function");
}
export {
  Inngest
};
