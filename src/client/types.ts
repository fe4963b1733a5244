import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { SerializedError } from "../engine/store/run-state.ts";
import type {
  CancelOn,
  FunctionEvent,
  FunctionOptions,
  HandlerContext,
  StepId,
  StepTools,
  WaitForEventOptions,
} from "../engine/definition/types.ts";
import type { EventType, SchemaData, UntypedData } from "./event-type.ts";
import type { InngestMiddleware } from "./middleware/inngest-middleware.ts";

/**
 * The types of the Inngest-shaped client: simpler than the SDK's, compatible with it for the
 * common cases (event data typed by trigger, typed `send`, middleware-injected context).
 */

/** Inngest's Logger: what `new Inngest({ logger })` takes and what `ctx.logger` is. */
export interface InngestLogger {
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
  debug(...args: unknown[]): void;
}

/** An event whose name and data are known. */
export type TypedEvent<TName extends string, TData> = Omit<FunctionEvent, "name" | "data"> & {
  name: TName;
  data: TData;
};

type DataOf<T> = T extends { data: infer D } ? D : UntypedData;

/** Known names first (for completion), any other name allowed. */
export type EventName<TEvents> = (keyof TEvents & string) | (string & {});

export type TriggerInput<TEvents> =
  { event: EventName<TEvents> | EventType; if?: string } | { cron: string } | EventType;
export type TriggersInput<TEvents> = TriggerInput<TEvents> | readonly TriggerInput<TEvents>[] | EventName<TEvents>;

type NamedEvent<TEvents, N> = N extends keyof TEvents & string ? TypedEvent<N, DataOf<TEvents[N]>> : FunctionEvent;

/** The event a handler receives for one trigger. */
type TriggerEvent<TEvents, T> =
  T extends EventType<infer N, infer S>
    ? TypedEvent<N, SchemaData<S>>
    : T extends { event: EventType<infer N, infer S> }
      ? TypedEvent<N, SchemaData<S>>
      : T extends { event: infer N }
        ? NamedEvent<TEvents, N>
        : T extends string
          ? NamedEvent<TEvents, T>
          : FunctionEvent;

/** The event a handler receives for a trigger or a list of them: a union over the list. */
export type EventFromTriggers<TEvents, T> = [T] extends [undefined]
  ? FunctionEvent
  : T extends readonly (infer E)[]
    ? TriggerEvent<TEvents, E>
    : TriggerEvent<TEvents, T>;

export type WaitOptions<TEvent> = Omit<WaitForEventOptions, "event"> & { event: TEvent };

/** The step tools, with `waitForEvent` typed by event name or EventType. */
export type ClientStepTools<TEvents> = Omit<StepTools, "waitForEvent"> & {
  waitForEvent<N extends string, S extends StandardSchemaV1 | undefined>(
    id: StepId,
    options: WaitOptions<EventType<N, S>>,
  ): Promise<TypedEvent<N, SchemaData<S>> | null>;
  waitForEvent<N extends EventName<TEvents>>(
    id: StepId,
    options: WaitOptions<N>,
  ): Promise<NamedEvent<TEvents, N> | null>;
};

/** A handler's context: the engine's, typed by the trigger, plus what middleware injects. */
export type Context<TEvents, TEvent, TInjected = {}> = Omit<HandlerContext, "event" | "events" | "step" | "logger"> & {
  event: TEvent;
  events: TEvent[];
  step: ClientStepTools<TEvents>;
  logger: InngestLogger;
} & TInjected;

export type FailureEvent<TEvent> = TypedEvent<
  "inngest/function.failed",
  { function_id: string; run_id: string; error: SerializedError; event: TEvent }
>;

export type ClientCancelOn<TEvents> = Omit<CancelOn, "event"> & { event: EventName<TEvents> | EventType };

export type ClientFunctionOptions<TEvents, TEvent, TInjected> = Omit<
  FunctionOptions,
  "triggers" | "cancelOn" | "onFailure"
> & {
  cancelOn?: ClientCancelOn<TEvents>[];
  /** v3 InngestMiddleware only: appended after the client's. */
  middleware?: readonly InngestMiddleware[];
  onFailure?: (ctx: Context<TEvents, FailureEvent<TEvent>, TInjected> & { error: Error }) => unknown;
};

/** What `onFunctionRun().transformInput` returns as `ctx`, for each middleware of a list. */
export type InjectedBy<TMiddleware> = UnionToIntersection<
  MiddlewareContext<TMiddleware extends readonly (infer M)[] ? M : never>
>;

type MiddlewareContext<M> =
  M extends InngestMiddleware<infer O> ? RegistrationContext<Awaited<ReturnType<O["init"]>>> : never;
type RegistrationContext<R> = R extends { onFunctionRun?: infer F }
  ? NonNullable<F> extends (...args: never[]) => infer H
    ? HooksContext<Awaited<H>>
    : {}
  : {};
type HooksContext<H> = H extends { transformInput?: infer T }
  ? NonNullable<T> extends (...args: never[]) => infer O
    ? Awaited<O> extends { ctx?: infer C }
      ? NonNullable<C>
      : {}
    : {}
  : {};
type UnionToIntersection<U> = (U extends unknown ? (value: U) => void : never) extends (value: infer I) => void
  ? I
  : never;

/** An event to send: typed by name when the client has schemas, any event otherwise. */
export type SendPayload<TEvents> = keyof TEvents extends never
  ? LoosePayload
  : { [N in keyof TEvents & string]: PayloadBase & { name: N; data: DataOf<TEvents[N]> } }[keyof TEvents & string];

interface PayloadBase {
  id?: string;
  ts?: number;
  v?: string;
  user?: Record<string, unknown>;
}

type LoosePayload = PayloadBase & { name: string; data?: Record<string, unknown> };
