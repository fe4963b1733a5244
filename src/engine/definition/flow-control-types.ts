/**
 * Inngest's flow-control options as a function declares them (concurrency, throttle, rateLimit,
 * debounce, batchEvents, priority, timeouts, singleton), and as the engine holds them once
 * compiled (`compile-flow-control.ts`). Re-exported by types.ts with the rest of the function API.
 */
export interface ConcurrencyOptions {
  limit: number;
  /** A CEL expression over `event`: the limit applies per distinct value. */
  key?: string;
  /**
   * "fn" (default): per function. "env" and "account": shared by every function that declares
   * the same key, on this bridge (which is one environment of one account).
   */
  scope?: "fn" | "env" | "account";
}

/** A concurrency limit as the engine holds it. */
export interface ConcurrencyLimit {
  limit: number;
  key?: string;
  scope: "fn" | "env" | "account";
}

/** Inngest's `throttle`: run starts per key, evenly spread over `period`; over-limit runs wait their turn. */
export interface ThrottleOptions {
  limit: number;
  period: string | number;
  /** A CEL expression over `event`: each value has its own throttle. */
  key?: string;
  /** Runs that may start at once on top of `limit` (0 by default). */
  burst?: number;
}

/** Inngest's `rateLimit`: at most `limit` runs per `period` and key; the others are skipped. */
export interface RateLimitOptions {
  limit: number;
  period: string | number;
  /** A CEL expression over `event`; a value of `false` means "not limited". */
  key?: string;
}

/** Inngest's `debounce`: one run with the last event, after `period` without a newer one. */
export interface DebounceOptions {
  period: string | number;
  key?: string;
  /** The longest a run is put off, counted from the first event. */
  timeout?: string | number;
}

/** Inngest's `batchEvents`: one run for up to `maxSize` events, or fewer after `timeout`. */
export interface BatchEventsOptions {
  maxSize: number;
  timeout: string | number;
  key?: string;
  /** A CEL expression over `event`: false (or an error) runs the event at once, unbatched. */
  if?: string;
}

export interface PriorityOptions {
  /** A CEL expression over `event` giving whole seconds: positive starts sooner, negative later. */
  run?: string;
}

export interface TimeoutsOptions {
  /** Longest wait from scheduling to the first start; the run is cancelled after it. */
  start?: string | number;
  /** Longest time from the first start to the end; the run is cancelled after it. */
  finish?: string | number;
}

export interface SingletonOptions {
  key?: string;
  /** "skip": a new run is skipped while one is active; "cancel": the active one is cancelled. */
  mode: "skip" | "cancel";
}

/** The flow-control options as the engine holds them: durations in ms, checked at definition. */
export interface FlowControl {
  readonly throttle?: { limit: number; periodMs: number; burst: number; key?: string };
  readonly rateLimit?: { limit: number; periodMs: number; key?: string };
  readonly debounce?: { periodMs: number; timeoutMs?: number; key?: string };
  readonly batchEvents?: { maxSize: number; timeoutMs: number; key?: string; if?: string };
  readonly priority?: { run: string };
  readonly timeouts?: { startMs?: number; finishMs?: number };
  readonly singleton?: { mode: "skip" | "cancel"; key?: string };
}
