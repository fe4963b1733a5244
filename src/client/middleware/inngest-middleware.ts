import type { EventDraft } from "../../events/accept-events.ts";
import type { BridgeFunction, FunctionEvent } from "../../engine/definition/types.ts";

/**
 * Inngest's v3 middleware, `new InngestMiddleware({ name, init })`: `init` runs once (when the
 * client is made, or the function for function middleware) and registers the hooks; the hooks of
 * `onFunctionRun` are made anew for each execution of a run. See run-hooks.ts for when each is
 * called, and the README for how an execution maps onto Inngest's requests.
 * https://www.inngest.com/docs/reference/middleware/lifecycle
 */
export class InngestMiddleware<TOptions extends MiddlewareOptions = MiddlewareOptions> {
  readonly name: TOptions["name"];
  readonly init: TOptions["init"];

  constructor({ name, init }: TOptions) {
    this.name = name;
    this.init = init;
  }
}

export type MaybePromise<T> = T | Promise<T>;

export interface MiddlewareOptions {
  name: string;
  init(args: { client?: unknown; fn?: BridgeFunction }): MaybePromise<MiddlewareRegistration>;
}

export interface MiddlewareRegistration {
  onFunctionRun?(info: RunInfo): MaybePromise<RunHooks | void>;
  onSendEvent?(): MaybePromise<SendHooks | void>;
}

/** A stored step as middleware sees it (Inngest's IncomingOp, keyed by our step id). */
export interface MemoizedStep {
  id: string;
  data?: unknown;
  error?: unknown;
}

export interface RunInfo {
  ctx: { event: FunctionEvent; events: FunctionEvent[]; runId: string };
  fn: BridgeFunction;
  steps: readonly MemoizedStep[];
}

/** The result of the run (or of one step.run): `data` when it returned, `error` when it threw. */
export interface RunResult {
  data?: unknown;
  error?: unknown;
}

export interface RunHooks {
  /** Returns context to merge into the handler's (dependency injection) and stored step data to replace. */
  transformInput?(args: {
    ctx: Record<string, unknown>;
    steps: readonly MemoizedStep[];
    fn: BridgeFunction;
  }): MaybePromise<{ ctx?: Record<string, unknown>; steps?: Array<{ data?: unknown }> } | void>;
  beforeMemoization?(): MaybePromise<void>;
  afterMemoization?(): MaybePromise<void>;
  beforeExecution?(): MaybePromise<void>;
  afterExecution?(): MaybePromise<void>;
  /** Called for the run's result and for each step.run executed; may replace `data` or `error`. */
  transformOutput?(args: {
    result: Readonly<RunResult>;
    step?: { id: string; name: string; op: "run" };
  }): MaybePromise<{ result?: RunResult } | void>;
  finished?(args: { result: Readonly<RunResult> }): MaybePromise<void>;
  beforeResponse?(): MaybePromise<void>;
}

export interface SendHooks {
  transformInput?(args: { payloads: readonly EventDraft[] }): MaybePromise<{ payloads?: EventDraft[] } | void>;
  transformOutput?(args: { result: { ids: string[] } }): MaybePromise<{ result?: { ids?: string[] } } | void>;
}
