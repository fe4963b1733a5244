import { DURATION_HINT, parseDurationMs } from "../../util/durations.ts";
import { compileCron } from "./compile-cron.ts";
import { compileFlowControl, FLOW_OPTIONS } from "./compile-flow-control.ts";
import { compileExpression, ExpressionError } from "./expressions.ts";
import { parseMatchPath } from "./match-path.ts";
import type {
  BridgeFunction,
  CompiledCancelOn,
  CompiledCronTrigger,
  ConcurrencyLimit,
  ConcurrencyOptions,
  EventTrigger,
  FunctionOptions,
  Handler,
  Trigger,
} from "./types.ts";

export const DEFAULT_RETRIES = 4;

export class FunctionDefinitionError extends Error {
  override name = "FunctionDefinitionError";
}

/** Options this engine implements. Anything else stops the start: a silent no-op is the worst bug. */
const KNOWN_OPTIONS = new Set([
  "id",
  "name",
  "description",
  "triggers",
  "retries",
  "cancelOn",
  "idempotency",
  "concurrency",
  "onFailure",
]);
for (const option of FLOW_OPTIONS) KNOWN_OPTIONS.add(option);
/** Inngest options that are not implemented yet, named as such in the error. */
const NOT_YET = new Set(["middleware", "optimizeParallelism", "checkpointing"]);

/**
 * Defines a durable function, in either of the Inngest SDK's forms:
 *   createFunction({ id, triggers: [{ event }], ...options }, handler)
 *   createFunction({ id, ...options }, { event } | [{ event }, { cron }], handler)
 * Every option is compiled here (expressions, durations, cron with its time zone, match paths),
 * so a broken definition stops the start naming the function and the option, instead of failing
 * at its first event.
 */
export function createFunction(options: FunctionOptions, handler: Handler): BridgeFunction;
export function createFunction(
  options: FunctionOptions,
  trigger: Trigger | Trigger[],
  handler: Handler,
): BridgeFunction;
export function createFunction(
  options: FunctionOptions,
  triggerOrHandler: Trigger | Trigger[] | Handler,
  maybeHandler?: Handler,
): BridgeFunction {
  const id = options?.id;
  if (typeof id !== "string" || id.trim() === "")
    throw new FunctionDefinitionError("a function needs a non-empty string id");
  const fail = (message: string): never => {
    throw new FunctionDefinitionError(`function "${id}": ${message}`);
  };
  for (const option of Object.keys(options)) {
    if (NOT_YET.has(option))
      fail(`option "${option}" is not supported by this bridge yet; remove it (it would otherwise be ignored)`);
    if (!KNOWN_OPTIONS.has(option)) fail(`unknown option "${option}"`);
  }
  const handler = typeof triggerOrHandler === "function" ? triggerOrHandler : maybeHandler;
  if (typeof handler !== "function") fail("the handler must be a function");
  const declared = [options.triggers ?? [], typeof triggerOrHandler === "function" ? [] : triggerOrHandler].flat();
  if (declared.length === 0) fail("it needs at least one trigger ({ event } or { cron })");
  const retries = options.retries ?? DEFAULT_RETRIES;
  if (!Number.isInteger(retries) || retries < 0 || retries > 20) fail("retries must be an integer from 0 to 20");
  if (options.idempotency !== undefined) checkExpression(options.idempotency, `function "${id}" idempotency`);
  return Object.freeze({
    id,
    name: options.name ?? id,
    ...(options.description === undefined ? {} : { description: options.description }),
    triggers: Object.freeze(declared.map((trigger, index) => compileTrigger(trigger, `triggers[${index}]`, id, fail))),
    retries,
    cancelOn: Object.freeze(
      (options.cancelOn ?? []).map((cancel, index) => compileCancelOn(cancel, `cancelOn[${index}]`, id, fail)),
    ),
    idempotency: options.idempotency,
    concurrency: Object.freeze(compileConcurrency(options.concurrency, id, fail)),
    flow: compileFlowControl(options, declared, fail),
    handler: handler as Handler,
    onFailure: options.onFailure,
  });
}

type Fail = (message: string) => never;

/** Compiles (and caches) a CEL expression; a syntax error is a definition error naming `where`. */
function checkExpression(source: string, where: string): void {
  try {
    compileExpression(source, where);
  } catch (error) {
    if (error instanceof ExpressionError) throw new FunctionDefinitionError(error.message);
    throw error;
  }
}

function compileTrigger(trigger: Trigger, where: string, id: string, fail: Fail): EventTrigger | CompiledCronTrigger {
  if (trigger && typeof trigger === "object" && "cron" in trigger) {
    refuseUnknownKeys(trigger, ["cron", "jitter"], where, fail);
    if (typeof trigger.cron !== "string" || trigger.cron.trim() === "") fail(`${where}.cron must be a cron expression`);
    const jitterMs = trigger.jitter === undefined ? undefined : compileJitter(trigger.jitter, where, fail);
    try {
      return Object.freeze({
        ...compileCron(trigger.cron),
        ...(jitterMs === undefined ? {} : { jitter: trigger.jitter, jitterMs }),
      });
    } catch (error) {
      return fail(`${where}.cron: ${(error as Error).message}`);
    }
  }
  if (!trigger || typeof trigger !== "object" || typeof trigger.event !== "string" || trigger.event === "") {
    fail(`invalid trigger ${JSON.stringify(trigger)}: expected { event: "name" } or { cron: "* * * * *" }`);
  }
  refuseUnknownKeys(trigger, ["event", "if"], where, fail);
  if (trigger.if !== undefined) checkExpression(trigger.if, `function "${id}" ${where}.if`);
  return Object.freeze({ event: trigger.event, ...(trigger.if === undefined ? {} : { if: trigger.if }) });
}

/** A trigger field the engine does not know would be a silent no-op: refused, named. */
function refuseUnknownKeys(trigger: object, known: readonly string[], where: string, fail: Fail): void {
  const unknown = Object.keys(trigger).filter((key) => !known.includes(key));
  if (unknown.length > 0)
    fail(
      `${where} has ${unknown.map((key) => `"${key}"`).join(", ")}, which this engine does not support (a trigger takes ${known.join(" and ")})`,
    );
}

/** Inngest's bounds: a cron jitter from 1 s to 5 min. */
function compileJitter(jitter: string | number, where: string, fail: Fail): number {
  let ms: number | undefined;
  try {
    ms = parseDurationMs(jitter);
  } catch {
    ms = undefined;
  }
  if (ms === undefined || ms < 1000 || ms > 5 * 60_000)
    fail(`${where}.jitter must be a duration from 1s to 5m (got ${JSON.stringify(jitter)})`);
  return ms as number;
}

function compileCancelOn(
  cancel: FunctionOptions["cancelOn"] extends (infer C)[] | undefined ? C : never,
  where: string,
  id: string,
  fail: Fail,
): CompiledCancelOn {
  if (typeof cancel?.event !== "string" || cancel.event === "") fail(`${where} needs an event name`);
  if (cancel.if !== undefined) checkExpression(cancel.if, `function "${id}" ${where}.if`);
  if (cancel.match !== undefined && !parseMatchPath(cancel.match))
    fail(`${where}.match: ${JSON.stringify(cancel.match)} is not a field path such as "data.id"`);
  let timeoutMs: number | undefined;
  if (cancel.timeout !== undefined) {
    timeoutMs = parseDurationMs(cancel.timeout);
    if (timeoutMs === undefined) fail(`${where}.timeout: ${JSON.stringify(cancel.timeout)} is not ${DURATION_HINT}`);
  }
  return Object.freeze({ ...cancel, ...(timeoutMs === undefined ? {} : { timeoutMs }) });
}

function compileConcurrency(option: FunctionOptions["concurrency"], id: string, fail: Fail): ConcurrencyLimit[] {
  if (option === undefined) return [];
  const limits: ConcurrencyOptions[] = typeof option === "number" ? [{ limit: option }] : [option].flat();
  if (limits.length > 2) fail("concurrency takes at most two limits");
  return limits.map((limit, index) => {
    const where = Array.isArray(option) ? `concurrency[${index}]` : "concurrency";
    if (!Number.isInteger(limit?.limit) || limit.limit < 1) fail(`${where}.limit must be a positive integer`);
    const scope = limit.scope ?? "fn";
    if (!["fn", "env", "account"].includes(scope)) fail(`${where}.scope must be "fn", "env" or "account"`);
    if (scope !== "fn" && limit.key === undefined)
      fail(`${where}: a concurrency limit with scope "${scope}" needs a key`);
    if (limit.key !== undefined) checkExpression(limit.key, `function "${id}" ${where}.key`);
    return Object.freeze({ limit: limit.limit, scope, ...(limit.key === undefined ? {} : { key: limit.key }) });
  });
}
