import type { BridgeEvent } from "../events/event-schema.ts";
import type { EventDraft } from "../events/accept-events.ts";
import type { Logger } from "../logger.ts";

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
  cron: string;
}

export type Trigger = EventTrigger | CronTrigger;

export interface CancelOn {
  event: string;
  /** A CEL expression over `event` (the run's trigger) and `async` (the incoming event). */
  if?: string;
  /** A dotted path that must be equal in both events, e.g. "data.id". */
  match?: string;
  /** How long the run stays cancellable, e.g. "7d"; for the run's whole life when absent. */
  timeout?: string | number;
}

export interface ConcurrencyOptions {
  limit: number;
  /** A CEL expression over `event`: the limit applies per distinct value. */
  key?: string;
}

/** An event as handlers see it: `data` is loosely typed, as in the Inngest SDK. */
export type FunctionEvent = Omit<BridgeEvent, "data"> & { data: Record<string, any> };

export type StepId = string | { id: string; name?: string };

export interface WaitForEventOptions {
  event: string;
  timeout: string | number | Date;
  if?: string;
  match?: string;
}

export interface StepTools {
  run<T>(id: StepId, fn: () => T | Promise<T>): Promise<Awaited<T>>;
  sleep(id: StepId, duration: string | number): Promise<void>;
  sleepUntil(id: StepId, until: Date | string | number): Promise<void>;
  waitForEvent(id: StepId, options: WaitForEventOptions): Promise<FunctionEvent | null>;
  sendEvent(id: StepId, events: EventDraft | EventDraft[]): Promise<{ ids: string[] }>;
}

export interface HandlerContext {
  event: FunctionEvent;
  events: FunctionEvent[];
  step: StepTools;
  runId: string;
  /** 0 on the first try; counts the failed attempts of the step (or handler) being retried. */
  attempt: number;
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
  triggers?: Trigger | Trigger[];
  /** Retries per step (and for errors outside steps); default 4. */
  retries?: number;
  cancelOn?: CancelOn[];
  /** A CEL expression over `event`: one run per value per 24 h. */
  idempotency?: string;
  concurrency?: number | ConcurrencyOptions;
  onFailure?: FailureHandler;
}

/** A function as the engine holds it: options settled, ready to register. */
export interface BridgeFunction {
  readonly id: string;
  readonly name: string;
  readonly triggers: readonly Trigger[];
  readonly retries: number;
  readonly cancelOn: readonly CancelOn[];
  readonly idempotency?: string;
  readonly concurrency?: ConcurrencyOptions;
  readonly handler: Handler;
  readonly onFailure?: FailureHandler;
}
