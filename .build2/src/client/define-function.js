import { createFunction as compileFunction, FunctionDefinitionError } from "../engine/create-function.js";
import { isEventType } from "./event-type.js";
import { initMiddleware } from "./middleware/middleware-stack.js";
/**
 * Defines a function in any of the Inngest SDK's forms (v4 `createFunction({ id, triggers },
 * handler)`, v3 `createFunction(options, trigger, handler)`, and v3's legacy strings for the id
 * and the trigger), then hands it to the engine's compiler (src/engine/create-function.ts), which
 * checks every option. Through a client the id becomes `<app id>-<function id>`, as Inngest
 * registers it; `eventType` triggers are reduced to their names, their schemas kept for the run.
 */
export function defineFunction(owner, args) {
    const [first, second, third] = args;
    const options = (typeof first === "string" ? { id: first } : first);
    const localId = options?.id;
    if (typeof localId !== "string" || localId.trim() === "")
        throw new FunctionDefinitionError("a function needs a non-empty string id");
    const id = owner ? `${owner.appId}-${localId}` : localId;
    const { middleware, triggers, cancelOn, ...rest } = options;
    const handler = typeof second === "function" ? second : third;
    const trigger = typeof second === "function" ? [] : typeof second === "string" ? { event: second } : second;
    const schemas = new Map();
    const compiled = compileFunction({
        ...rest,
        id,
        name: rest.name ?? localId,
        triggers: [triggers ?? [], trigger].flat().map((each) => reduceTrigger(each, schemas)),
        ...(Array.isArray(cancelOn) ? { cancelOn: cancelOn.map(reduceCancelOn) } : cancelOn === undefined ? {} : { cancelOn }),
    }, handler);
    const stack = [...(owner?.middleware ?? [])];
    const runtime = Object.freeze({ middleware: stack, schemas, ...(owner?.logger ? { logger: owner.logger } : {}) });
    const fn = Object.freeze({ ...compiled, ...(owner ? { appId: owner.appId, localId } : {}), runtime });
    // Function middleware's init gets the function, so it runs once the function exists.
    stack.push(...initMiddleware(middleware, { client: owner?.client, fn }, `function "${id}"`));
    return fn;
}
/** `userCreated` or `{ event: userCreated, if }` as `{ event: "user.created", if }`, keeping the schema. */
function reduceTrigger(trigger, schemas) {
    const nested = trigger?.event;
    const type = isEventType(trigger) ? trigger : isEventType(nested) ? nested : undefined;
    if (!type)
        return trigger;
    if (type.schema)
        schemas.set(type.name, [...(schemas.get(type.name) ?? []), type.schema]);
    return isEventType(trigger) ? { event: type.name } : { ...trigger, event: type.name };
}
function reduceCancelOn(cancel) {
    const event = cancel?.event;
    return isEventType(event) ? { ...cancel, event: event.name } : cancel;
}
export function createFunction(...args) {
    return defineFunction(undefined, args);
}
