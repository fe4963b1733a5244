import type { StandardSchemaV1 } from "@standard-schema/spec";
import { createFunction as compileFunction, FunctionDefinitionError } from "../engine/definition/create-function.ts";
import type { BridgeFunction, FunctionOptions, FunctionRuntime, Handler } from "../engine/definition/types.ts";
import { isEventType } from "./event-type.ts";
import type { ClientRuntime } from "./function-runtime.ts";
import { createHandlerExecution } from "./handler-execution.ts";
import type { MiddlewareRegistration } from "./middleware/inngest-middleware.ts";
import { initMiddleware } from "./middleware/middleware-stack.ts";
import type {
  ClientFunctionOptions,
  Context,
  EventFromTriggers,
  InjectedBy,
  InngestLogger,
  TriggerInput,
  TriggersInput,
} from "./types.ts";
import type { InngestMiddleware } from "./middleware/inngest-middleware.ts";
import { fieldsOf } from "../util/json-object.ts";

/** What a client lends the functions it defines. */
export interface DefiningClient {
  client: unknown;
  appId: string;
  middleware: readonly Promise<MiddlewareRegistration>[];
  logger?: InngestLogger;
}

/**
 * Defines a function in any of the Inngest SDK's forms (v4 `createFunction({ id, triggers },
 * handler)`, v3 `createFunction(options, trigger, handler)`, and v3's legacy strings for the id
 * and the trigger), then hands it to the engine's compiler (src/engine/definition/create-function.ts), which
 * checks every option. Through a client the id becomes `<app id>-<function id>`, as Inngest
 * registers it; `eventType` triggers are reduced to their names, their schemas kept for the run.
 */
export function defineFunction(owner: DefiningClient | undefined, args: readonly unknown[]): BridgeFunction {
  const [first, second, third] = args;
  const options = (typeof first === "string" ? { id: first } : first) as Record<string, unknown> | undefined;
  const localId = options?.id;
  if (typeof localId !== "string" || localId.trim() === "")
    throw new FunctionDefinitionError("a function needs a non-empty string id");
  const id = owner ? `${owner.appId}-${localId}` : localId;
  const { middleware, triggers, cancelOn, ...rest } = options as Record<string, unknown>;
  const handler = typeof second === "function" ? second : third;
  const trigger = typeof second === "function" ? [] : typeof second === "string" ? { event: second } : second;
  const schemas = new Map<string, StandardSchemaV1[]>();
  const compiled = compileFunction(
    {
      ...rest,
      id,
      name: rest.name ?? localId,
      triggers: [triggers ?? [], trigger].flat().map((each) => reduceTrigger(each, schemas)),
      ...(Array.isArray(cancelOn)
        ? { cancelOn: cancelOn.map(reduceCancelOn) }
        : cancelOn === undefined
          ? {}
          : { cancelOn }),
    } as FunctionOptions,
    handler as Handler,
  );
  const stack = [...(owner?.middleware ?? [])];
  const settings: ClientRuntime = Object.freeze({
    middleware: stack,
    schemas,
    ...(owner?.logger ? { logger: owner.logger } : {}),
  });
  // The execution wrapper the engine runs the handler through (an onFailure function shares it).
  const runtime = Object.freeze<FunctionRuntime>({
    schemas,
    execution: (target, run, steps, engineLogger) => createHandlerExecution(settings, target, run, steps, engineLogger),
  });
  const fn: BridgeFunction = Object.freeze({ ...compiled, ...(owner ? { appId: owner.appId, localId } : {}), runtime });
  // Function middleware's init gets the function, so it runs once the function exists.
  stack.push(...initMiddleware(middleware, { client: owner?.client, fn }, `function "${id}"`));
  return fn;
}

/** `userCreated` or `{ event: userCreated, if }` as `{ event: "user.created", if }`, keeping the schema. */
function reduceTrigger(trigger: unknown, schemas: Map<string, StandardSchemaV1[]>): unknown {
  const nested = fieldsOf(trigger).event;
  const type = isEventType(trigger) ? trigger : isEventType(nested) ? nested : undefined;
  if (!type) return trigger;
  if (type.schema) schemas.set(type.name, [...(schemas.get(type.name) ?? []), type.schema]);
  return isEventType(trigger) ? { event: type.name } : { ...fieldsOf(trigger), event: type.name };
}

function reduceCancelOn(cancel: unknown): unknown {
  const fields = fieldsOf(cancel);
  return isEventType(fields.event) ? { ...fields, event: fields.event.name } : cancel;
}

type FunctionMiddleware = readonly InngestMiddleware[];

/**
 * The bridge's own shorthand, without a client: the function keeps its id as given (no app
 * prefix), and has no client middleware or logger. Both Inngest forms.
 */
export function createFunction<
  const TTriggers extends TriggerInput<{}> | readonly TriggerInput<{}>[] | undefined = undefined,
  const TMiddleware extends FunctionMiddleware = [],
>(
  options: ClientFunctionOptions<{}, EventFromTriggers<{}, TTriggers>, InjectedBy<TMiddleware>> & {
    triggers?: TTriggers;
    middleware?: TMiddleware;
  },
  handler: (ctx: Context<{}, EventFromTriggers<{}, TTriggers>, InjectedBy<TMiddleware>>) => unknown,
): BridgeFunction;
export function createFunction<
  const TTrigger extends TriggersInput<{}>,
  const TMiddleware extends FunctionMiddleware = [],
>(
  options:
    | (ClientFunctionOptions<{}, EventFromTriggers<{}, TTrigger>, InjectedBy<TMiddleware>> & {
        middleware?: TMiddleware;
      })
    | string,
  trigger: TTrigger,
  handler: (ctx: Context<{}, EventFromTriggers<{}, TTrigger>, InjectedBy<TMiddleware>>) => unknown,
): BridgeFunction;
export function createFunction(...args: unknown[]): BridgeFunction {
  return defineFunction(undefined, args);
}
