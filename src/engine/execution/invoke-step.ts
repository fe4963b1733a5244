import { NonRetriableError } from "../definition/non-retriable-error.ts";
import { parseTimeout } from "./parse-time.ts";
import type { BeginResult, RunStep } from "./run-step.ts";
import type { StepState } from "../store/run-state.ts";
import { toStorable } from "./to-storable.ts";
import type { FunctionEvent, InvokeOptions, StepId } from "../definition/types.ts";

/** Inngest's default: an invoke waits up to a year for the invoked run to end. */
export const DEFAULT_INVOKE_TIMEOUT_MS = 365 * 24 * 60 * 60 * 1000;

/** Whom to invoke, as the step recorded it: a function's full id, or a reference to resolve. */
export type InvokeTarget = { kind: "function"; id: string } | { kind: "reference"; functionId: string; appId?: string };

/** What the executor needs to start the invoked run. */
export interface InvokeRequest {
  target: InvokeTarget;
  data: Record<string, unknown>;
  user?: FunctionEvent["user"];
  v?: string;
}

/**
 * `step.invoke(id, { function, data, user, v, timeout })`: a wait for another function's run,
 * started by this step. Bad options cannot get better on a retry: they fail the run at once,
 * naming the step.
 */
export function invokeStep<T>(
  step: RunStep,
  now: () => number,
  id: StepId,
  options: InvokeOptions,
  beginInvoke: (waiting: StepState, request: InvokeRequest) => Promise<BeginResult>,
): Promise<T> {
  const what = `step.invoke("${typeof id === "string" ? id : id?.id}")`;
  const target = invokeTargetOf(options?.function);
  if (!target)
    throw new NonRetriableError(
      `${what}: invalid invocation options; "function" must be a function or referenceFunction({ functionId, appId? })`,
    );
  const data = options.data ?? {};
  if (typeof data !== "object" || data === null || Array.isArray(data))
    throw new NonRetriableError(`${what}: data must be an object`);
  const request: InvokeRequest = {
    target,
    data: toStorable(data, `${what} data`) as Record<string, unknown>,
    ...(options.user === undefined ? {} : { user: toStorable(options.user, `${what} user`) as FunctionEvent["user"] }),
    ...(options.v === undefined ? {} : { v: String(options.v) }),
  };
  const timeoutAt =
    options.timeout === undefined ? now() + DEFAULT_INVOKE_TIMEOUT_MS : parseTimeout(options.timeout, now(), what);
  return step<T>(id, { op: "invoke", timeoutAt }, { begin: (waiting) => beginInvoke(waiting, request) });
}

/** A function object (any client's) or a reference, as Inngest's `referenceFunction` makes it. */
function invokeTargetOf(fn: unknown): InvokeTarget | undefined {
  if (typeof fn !== "object" || fn === null) return undefined;
  const record = fn as Record<string, unknown>;
  if (typeof record.id === "string" && typeof record.handler === "function") return { kind: "function", id: record.id };
  const reference = (typeof record.opts === "object" && record.opts !== null ? record.opts : record) as Record<
    string,
    unknown
  >;
  if (typeof reference.functionId !== "string" || reference.functionId === "") return undefined;
  const appId = typeof reference.appId === "string" && reference.appId !== "" ? reference.appId : undefined;
  return { kind: "reference", functionId: reference.functionId, ...(appId ? { appId } : {}) };
}
