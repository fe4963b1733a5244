import { FunctionDefinitionError } from "../engine/definition/create-function.ts";
import type { BridgeFunction } from "../engine/definition/types.ts";
import type { EventDraft } from "../events/accept-events.ts";
import { defineFunction } from "./define-function.ts";
import type { EventSchemas } from "./event-schemas.ts";
import { sendSignalFromProcess, sendToIntake } from "./intake.ts";
import type { InngestMiddleware, MiddlewareRegistration } from "./middleware/inngest-middleware.ts";
import { initMiddleware } from "./middleware/middleware-stack.ts";
import { sendThroughMiddleware } from "./middleware/run-hooks.ts";
import type {
  ClientFunctionOptions,
  Context,
  EventFromTriggers,
  InjectedBy,
  InngestLogger,
  SendPayload,
  TriggerInput,
  TriggersInput,
} from "./types.ts";
import { isJsonObject } from "../util/json-object.ts";

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
] as const;
const KNOWN_OPTIONS = new Set<string>(["id", "schemas", "middleware", "logger", ...TRANSPORT_OPTIONS]);

export type ClientOptions<TEvents, TMiddleware> = {
  /** The app id: every function's id becomes `<id>-<function id>`, as in Inngest. */
  id: string;
  /** v3 `new EventSchemas().fromRecord<...>()`: types event data (types only). */
  schemas?: EventSchemas<TEvents>;
  /** v3 InngestMiddleware, run for every function of this client (before each function's own). */
  middleware?: TMiddleware;
  /** Replaces the bridge's logger as the handlers' `logger`; called with the arguments as written. */
  logger?: InngestLogger;
} & { [K in (typeof TRANSPORT_OPTIONS)[number]]?: unknown };

type AnyMiddleware = readonly InngestMiddleware[];

/**
 * The Inngest client, as Inngest users write it: `new Inngest({ id })`, then `createFunction` and
 * `send`. It runs functions in this bridge's engine and sends events to this bridge's intake, so
 * code written for Inngest runs here with its import unchanged (FUNCTIONS_DIR maps "inngest" to
 * this module).
 */
export class Inngest<TEvents = {}, const TMiddleware extends AnyMiddleware = []> {
  readonly id: string;
  readonly #middleware: readonly Promise<MiddlewareRegistration>[];
  readonly #logger: InngestLogger | undefined;

  constructor(options: ClientOptions<TEvents, TMiddleware>) {
    const id = options?.id;
    if (typeof id !== "string" || id.trim() === "")
      throw new FunctionDefinitionError("An `id` must be passed to create an Inngest instance.");
    const where = `Inngest client "${id}"`;
    for (const key of Object.keys(options)) {
      if (!KNOWN_OPTIONS.has(key)) throw new FunctionDefinitionError(`${where}: unknown option "${key}"`);
    }
    if (options.logger !== undefined && !isLogger(options.logger))
      throw new FunctionDefinitionError(`${where}: logger must have info, warn and error methods`);
    this.id = id;
    this.#logger = options.logger;
    this.#middleware = initMiddleware(options.middleware, { client: this }, where);
  }

  createFunction<
    const TTriggers extends TriggerInput<TEvents> | readonly TriggerInput<TEvents>[] | undefined = undefined,
    const TFnMiddleware extends AnyMiddleware = [],
  >(
    options: ClientFunctionOptions<
      TEvents,
      EventFromTriggers<TEvents, TTriggers>,
      Injected<TMiddleware, TFnMiddleware>
    > & { triggers?: TTriggers; middleware?: TFnMiddleware },
    handler: (
      ctx: Context<TEvents, EventFromTriggers<TEvents, TTriggers>, Injected<TMiddleware, TFnMiddleware>>,
    ) => unknown,
  ): BridgeFunction;
  createFunction<const TTrigger extends TriggersInput<TEvents>, const TFnMiddleware extends AnyMiddleware = []>(
    options:
      | (ClientFunctionOptions<TEvents, EventFromTriggers<TEvents, TTrigger>, Injected<TMiddleware, TFnMiddleware>> & {
          middleware?: TFnMiddleware;
        })
      | string,
    trigger: TTrigger,
    handler: (
      ctx: Context<TEvents, EventFromTriggers<TEvents, TTrigger>, Injected<TMiddleware, TFnMiddleware>>,
    ) => unknown,
  ): BridgeFunction;
  createFunction(...args: unknown[]): BridgeFunction {
    return defineFunction(
      { client: this, appId: this.id, middleware: this.#middleware, ...(this.#logger ? { logger: this.#logger } : {}) },
      args,
    );
  }

  /**
   * Sends events through the bridge's intake, as `POST /e/:key` does (same validation, same
   * dedupe by id), after `onSendEvent` middleware. Answers the ids in the order sent.
   */
  async send(payload: SendPayload<TEvents> | readonly SendPayload<TEvents>[]): Promise<{ ids: string[] }> {
    const payloads = [payload].flat() as EventDraft[];
    if (payloads.length === 0) return { ids: [] };
    return { ids: await sendThroughMiddleware(this.#middleware, payloads, sendToIntake) };
  }

  /** Resumes the run waiting in `step.waitForSignal` for this signal; `runId` is undefined when none waits. */
  sendSignal(options: { signal: string; data?: unknown }): Promise<{ runId: string | undefined }> {
    return sendSignalFromProcess(options);
  }
}

type Injected<TClient, TFunction> = InjectedBy<TClient> & InjectedBy<TFunction>;

function isLogger(value: unknown): boolean {
  return isJsonObject(value) && ["info", "warn", "error"].every((level) => typeof value[level] === "function");
}
