import { compileExpression } from "./expressions.ts";
import type { BridgeFunction, FunctionOptions, Handler, Trigger } from "./types.ts";

export const DEFAULT_RETRIES = 4;

export class FunctionDefinitionError extends Error {
  override name = "FunctionDefinitionError";
}

/**
 * Defines a durable function, in either of the Inngest SDK's forms:
 *   createFunction({ id, triggers: [{ event }], ...options }, handler)
 *   createFunction({ id, ...options }, { event } | [{ event }, { cron }], handler)
 * Everything is checked here, so a broken definition (bad expression, no trigger) stops the start
 * with the function's id instead of failing at its first event.
 */
export function createFunction(options: FunctionOptions, handler: Handler): BridgeFunction;
export function createFunction(options: FunctionOptions, trigger: Trigger | Trigger[], handler: Handler): BridgeFunction;
export function createFunction(
  options: FunctionOptions,
  triggerOrHandler: Trigger | Trigger[] | Handler,
  maybeHandler?: Handler,
): BridgeFunction {
  const handler = typeof triggerOrHandler === "function" ? triggerOrHandler : maybeHandler;
  const triggers = [options.triggers ?? [], typeof triggerOrHandler === "function" ? [] : triggerOrHandler].flat();
  const id = options?.id;
  if (typeof id !== "string" || id.trim() === "") throw new FunctionDefinitionError("a function needs a non-empty string id");
  const fail = (message: string): never => {
    throw new FunctionDefinitionError(`function "${id}": ${message}`);
  };
  if (typeof handler !== "function") fail("the handler must be a function");
  if (triggers.length === 0) fail("it needs at least one trigger ({ event } or { cron })");
  for (const trigger of triggers) checkTrigger(id, trigger, fail);
  const retries = options.retries ?? DEFAULT_RETRIES;
  if (!Number.isInteger(retries) || retries < 0 || retries > 20) fail("retries must be an integer from 0 to 20");
  for (const [index, cancel] of (options.cancelOn ?? []).entries()) {
    if (typeof cancel?.event !== "string" || cancel.event === "") fail(`cancelOn[${index}] needs an event name`);
    if (cancel.if !== undefined) compileExpression(cancel.if, `function "${id}" cancelOn[${index}].if`);
  }
  if (options.idempotency !== undefined) compileExpression(options.idempotency, `function "${id}" idempotency`);
  const concurrency = typeof options.concurrency === "number" ? { limit: options.concurrency } : options.concurrency;
  if (concurrency) {
    if (!Number.isInteger(concurrency.limit) || concurrency.limit < 1) fail("concurrency.limit must be a positive integer");
    if (concurrency.key !== undefined) compileExpression(concurrency.key, `function "${id}" concurrency.key`);
  }
  return Object.freeze({
    id,
    name: options.name ?? id,
    triggers: Object.freeze(triggers),
    retries,
    cancelOn: Object.freeze([...(options.cancelOn ?? [])]),
    idempotency: options.idempotency,
    concurrency,
    handler: handler as Handler,
    onFailure: options.onFailure,
  });
}

function checkTrigger(id: string, trigger: Trigger, fail: (message: string) => never): void {
  if (trigger && "cron" in trigger && typeof trigger.cron === "string" && trigger.cron.trim() !== "") return;
  if (!trigger || !("event" in trigger) || typeof trigger.event !== "string" || trigger.event === "") {
    fail(`invalid trigger ${JSON.stringify(trigger)}: expected { event: "name" } or { cron: "* * * * *" }`);
  }
  if ("event" in trigger && trigger.if !== undefined) compileExpression(trigger.if, `function "${id}" trigger "${trigger.event}" if`);
}
