import { FunctionDefinitionError } from "../engine/create-function.js";
import { defineFunction } from "./define-function.js";
import { sendSignalFromProcess, sendToIntake } from "./intake.js";
import { initMiddleware } from "./middleware/middleware-stack.js";
import { sendThroughMiddleware } from "./middleware/run-hooks.js";
/**
 * Options of Inngest's client that only configure its HTTP link to an Inngest server (keys, URLs,
 * dev mode, checkpointing). Functions here run in the bridge's own process and events go straight
 * to its intake, so they mean nothing; they are accepted so that client code runs unchanged.
 */
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
    "endpointAdapter",
];
const KNOWN_OPTIONS = new Set(["id", "schemas", "middleware", "logger", ...TRANSPORT_OPTIONS]);
/**
 * The Inngest client, as Inngest users write it: `new Inngest({ id })`, then `createFunction` and
 * `send`. It runs functions in this bridge's engine and sends events to this bridge's intake, so
 * code written for Inngest runs here with its import unchanged (FUNCTIONS_DIR maps "inngest" to
 * this module).
 */
export class Inngest {
    id;
    #middleware;
    #logger;
    constructor(options) {
        const id = options?.id;
        if (typeof id !== "string" || id.trim() === "")
            throw new FunctionDefinitionError("An `id` must be passed to create an Inngest instance.");
        const where = `Inngest client "${id}"`;
        for (const key of Object.keys(options)) {
            if (!KNOWN_OPTIONS.has(key))
                throw new FunctionDefinitionError(`${where}: unknown option "${key}"`);
        }
        if (options.logger !== undefined && !isLogger(options.logger))
            throw new FunctionDefinitionError(`${where}: logger must have info, warn and error methods`);
        this.id = id;
        this.#logger = options.logger;
        this.#middleware = initMiddleware(options.middleware, { client: this }, where);
    }
    createFunction(...args) {
        return defineFunction({ client: this, appId: this.id, middleware: this.#middleware, ...(this.#logger ? { logger: this.#logger } : {}) }, args);
    }
    /**
     * Sends events through the bridge's intake, as `POST /e/:key` does (same validation, same
     * dedupe by id), after `onSendEvent` middleware. Answers the ids in the order sent.
     */
    async send(payload) {
        const payloads = [payload].flat();
        if (payloads.length === 0)
            return { ids: [] };
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
