import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { BridgeEvent } from "../../events/event-schema.ts";
import type { EventDraft } from "../../events/accept-events.ts";
import type { Logger } from "../../logger.ts";
import type {
  ConcurrencyOptions,
  ConcurrencyLimit,
  ThrottleOptions,
  RateLimitOptions,
  DebounceOptions,
  BatchEventsOptions,
  PriorityOptions,
  TimeoutsOptions,
  SingletonOptions,
  FlowControl,
} from "./flow-control-types.ts";
export type * from "./flow-control-types.ts";

/**
 * The function API, shaped like the Inngest SDK's so that handlers written for it move over with
 * only their import changed.
 */

export interface EventTrigger {
  event: string;
  /** A CEL expression over `event`; the function runs only when it is true. */
  if?: string;
}

export interface CronTrigger {
  /** Five fields (six with seconds), a macro ("@daily"), optionally after "TZ=<zone> ". */
  cron: string;
  /** Each tick's run starts up to this much later, at random (1s to 5m, as Inngest): spreads load. */
  jitter?: string | number;
}

export type Trigger = EventTrigger | CronTrigger;

/** A cron trigger as the engine holds it: parsed when the function was defined. */
export interface CompiledCronTrigger extends CronTrigger {
  pattern: string;
  tz?: string;
  jitterMs?: number;
}

export interface CancelOn {
  event: string;
  /** A CEL expression over `event` (the run's trigger) and `async` (the incoming event). */
  if?: string;
  /** A dotted path that must be equal in both events, e.g. "data.id". */
  match?: string;
  /** How long the run stays cancellable, e.g. "7d"; for the run's whole life when absent. */
  timeout?: string | number;
}

/** A cancelOn as the engine holds it: the timeout in milliseconds, checked at definition. */
export interface CompiledCancelOn extends CancelOn {
  timeoutMs?: number;
}

/** An event as handlers see it: `data` is loosely typed, as in the Inngest SDK. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- data without a schema is read freely by handlers, as inngest-js types it
export type FunctionEvent = Omit<BridgeEvent, "data"> & { data: Record<string, any> };

/** A step's id, or Inngest's options form; `parallelMode` is accepted and changes nothing here. */
export type StepId = string | { id: string; name?: string; parallelMode?: "race" };

export interface WaitForEventOptions {
  event: string;
  timeout: string | number | Date;
  if?: string;
  match?: string;
}

/**
 * A function named without importing it, as Inngest's `referenceFunction({ functionId, appId })`
 * makes it (the SDK's object keeps them under `opts`; both shapes are read). Without `appId`, the
 * calling function's app is tried first, then the bare id.
 */
export type FunctionReference =
  { functionId: string; appId?: string } | { opts: { functionId: string; appId?: string } };

export interface InvokeOptions {
  /** The function itself (from any client) or a reference to it. */
  function: BridgeFunction | FunctionReference;
  /** The invoked run's `event.data` (with `_inngest` added, as Inngest does). */
  data?: Record<string, unknown>;
  user?: Record<string, unknown>;
  v?: string;
  /** How long to wait for the invoked run to end; default 1 year, as Inngest. */
  timeout?: string | number | Date;
}

export interface WaitForSignalOptions {
  /** A name unique across the bridge: one run waits on it at a time. */
  signal: string;
  timeout: string | number | Date;
  /** Another run already waits on the signal: fail this run ("fail", Inngest's default) or take it over. */
  onConflict?: "fail" | "replace";
}

export interface SendSignalOptions {
  signal: string;
  data?: unknown;
}

/** What sending a signal did: the run it resumed, undefined when no run was waiting for it. */
export interface SignalResult {
  runId: string | undefined;
}

export interface StepTools {
  /** Runs `fn(...input)` once; `input` is stored with the step. */
  run<T, A extends unknown[] = []>(id: StepId, fn: (...input: A) => T | Promise<T>, ...input: A): Promise<Awaited<T>>;
  sleep(id: StepId, duration: string | number): Promise<void>;
  sleepUntil(id: StepId, until: Date | string | number): Promise<void>;
  waitForEvent(id: StepId, options: WaitForEventOptions): Promise<FunctionEvent | null>;
  sendEvent(id: StepId, events: EventDraft | EventDraft[]): Promise<{ ids: string[] }>;
  /** Starts the function's run and resumes with its return value; throws a StepError if it fails. */
  invoke<T = unknown>(id: StepId, options: InvokeOptions): Promise<T>;
  /** Resumes with `{ signal, data }` once the signal is sent, or null at the timeout. */
  waitForSignal<T = unknown>(id: StepId, options: WaitForSignalOptions): Promise<{ signal: string; data: T } | null>;
  sendSignal(id: StepId, options: SendSignalOptions): Promise<SignalResult>;
  /** A durable fetch: one step ("step.fetch: <hostname>") whose stored result is the response. */
  fetch(input: string | URL | Request, init?: RequestInit): Promise<Response>;
  /** Inngest tools this bridge does not run: calling one fails the run, naming it. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- code written for Inngest's typed tools must type-check to reach the run's clear failure
  ai: Record<string, any>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as `ai`
  realtime: Record<string, any>;
}

export interface GroupTools {
  /** Runs `callback`; steps called together inside it run in parallel, as they do anywhere here. */
  parallel<T>(options: { mode?: "race" } | (() => Promise<T>), callback?: () => Promise<T>): Promise<T>;
  /** Not run by this bridge: calling it fails the run, naming it. */
  experiment: (...args: unknown[]) => never;
}

export interface HandlerContext {
  event: FunctionEvent;
  events: FunctionEvent[];
  step: StepTools;
  group: GroupTools;
  runId: string;
  /** 0 on the first try; counts the failed attempts of the step (or handler) being retried. */
  attempt: number;
  /** `retries + 1`, as Inngest's context has it: `attempt === maxAttempts - 1` is the last try. */
  maxAttempts: number;
  logger: Logger;
}

export interface FailureContext extends HandlerContext {
  /** The error the failed run ended with. */
  error: Error;
}

export type Handler = (ctx: HandlerContext) => unknown;
export type FailureHandler = (ctx: FailureContext) => unknown;

export interface FunctionOptions {
  id: string;
  name?: string;
  description?: string;
  triggers?: Trigger | Trigger[];
  /** Retries per step (and for errors outside steps); default 4. */
  retries?: number;
  cancelOn?: CancelOn[];
  /** A CEL expression over `event`: one run per value per 24 h. */
  idempotency?: string;
  /** A number, a limit, or up to two limits (for example per user and in all). */
  concurrency?: number | ConcurrencyOptions | ConcurrencyOptions[];
  throttle?: ThrottleOptions;
  rateLimit?: RateLimitOptions;
  debounce?: DebounceOptions;
  batchEvents?: BatchEventsOptions;
  priority?: PriorityOptions;
  timeouts?: TimeoutsOptions;
  singleton?: SingletonOptions;
  onFailure?: FailureHandler;
}

/** A function as the engine holds it: options settled, ready to register. */
export interface BridgeFunction {
  /** `<app id>-<function id>` for a function defined through a client, as Inngest names it. */
  readonly id: string;
  /** The client's id and the id the function was defined with; absent for the bare createFunction. */
  readonly appId?: string;
  readonly localId?: string;
  readonly name: string;
  readonly description?: string;
  readonly triggers: readonly (EventTrigger | CompiledCronTrigger)[];
  readonly retries: number;
  readonly cancelOn: readonly CompiledCancelOn[];
  readonly idempotency?: string;
  readonly concurrency: readonly ConcurrencyLimit[];
  /** throttle, rateLimit, debounce, batchEvents, priority, timeouts, singleton (compile-flow-control.ts). */
  readonly flow: FlowControl;
  readonly handler: Handler;
  readonly onFailure?: FailureHandler;
  /** What runs around the handler (middleware, a client's logger, event schemas), attached by the Inngest client. */
  readonly runtime?: FunctionRuntime;
}

/**
 * What a function runs with besides its handler, attached by whoever defined it: the Inngest
 * client (define-function.ts in src/client) attaches its middleware, its logger and its event
 * schemas as an execution wrapper, as inngest-js's InngestFunction owns its execution. The
 * executor runs each execution of the handler through it and never looks inside; a function
 * without one runs its handler plainly (execution/execute-handler.ts).
 */
export interface FunctionRuntime {
  /** The Standard Schemas of `eventType` triggers, by event name: a run's event must fit one. */
  readonly schemas: ReadonlyMap<string, readonly StandardSchemaV1[]>;
  /**
   * One execution of `fn`'s handler (one job of its run) over the run's stored steps. `fn` is
   * the function run: an `onFailure` function shares its parent's runtime.
   */
  execution(
    fn: BridgeFunction,
    run: ExecutedRun,
    steps: Map<string, MemoizedStepState>,
    engineLogger: () => Logger,
  ): HandlerExecution;
}

/** The run an execution belongs to, as the runtime sees it. */
export interface ExecutedRun {
  readonly id: string;
  readonly eventName: string;
}

/** A stored step as the runtime sees it; middleware's `transformInput` may replace a completed step's `output`. */
export interface MemoizedStepState {
  id: string;
  status: string;
  output?: unknown;
  error?: unknown;
}

/** How one execution of a handler ended (the executor's RunOutcome, as far as a runtime reads it). */
export type HandlerOutcome =
  { kind: "completed"; output: unknown } | { kind: "failed"; error: Error } | { kind: "suspended" };

/** One execution of a handler, wrapped by its function's runtime. */
export interface HandlerExecution {
  /** The replay of stored steps has ended: from here on, code runs for the first time. */
  memoizationEnded(): void;
  /** step.sendEvent's sending (to the intake), with what the runtime adds on the way. */
  wrapSendEvents(send: SendEvents): SendEvents;
  /** Runs the handler in the session (`settle`), to its end or its suspension. */
  run<TOutcome extends HandlerOutcome>(
    session: { settle(handler: () => unknown): Promise<TOutcome> },
    ctx: Omit<HandlerContext, "logger">,
  ): Promise<TOutcome>;
}

/** Sends step.sendEvent's events for a step; resolves with their ids. */
export type SendEvents = (stepId: string, drafts: EventDraft[]) => Promise<string[]>;
