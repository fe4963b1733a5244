import { createFunction as compileFunction, FunctionDefinitionError } from "../engine/create-function.js";
import { isEventType } from "./event-type.js";
import { initMiddleware } from "./middleware/middleware-stack.js";
function defineFunction(owner, args) {
  const [first, second, third] = args;
  const options = typeof first === "string" ? { id: first } : first;
  const localId = options?.id;
  if (typeof localId !== "string" || localId.trim() === "") throw new FunctionDefinitionError("a function needs a non-empty string id");
  const id = owner ? `${owner.appId}-${localId}` : localId;
  const { middleware, triggers, cancelOn, ...rest } = options;
  const handler = typeof second === "function" ? second : third;
  const trigger = typeof second === "function" ? [] : typeof second === "string" ? { event: second } : second;
  const schemas = /* @__PURE__ */ new Map();
  const compiled = compileFunction(
    {
      ...rest,
      id,
      name: rest.name ?? localId,
      triggers: [triggers ?? [], trigger].flat().map((each) => reduceTrigger(each, schemas)),
      ...Array.isArray(cancelOn) ? { cancelOn: cancelOn.map(reduceCancelOn) } : cancelOn === void 0 ? {} : { cancelOn }
    },
    handler
  );
  const stack = [...owner?.middleware ?? []];
  const runtime = Object.freeze({ middleware: stack, schemas, ...owner?.logger ? { logger: owner.logger } : {} });
  const fn = Object.freeze({ ...compiled, ...owner ? { appId: owner.appId, localId } : {}, runtime });
  stack.push(...initMiddleware(middleware, { client: owner?.client, fn }, `function "${id}"`));
  return fn;
}
function reduceTrigger(trigger, schemas) {
  const nested = trigger?.event;
  const type = isEventType(trigger) ? trigger : isEventType(nested) ? nested : void 0;
  if (!type) return trigger;
  if (type.schema) schemas.set(type.name, [...schemas.get(type.name) ?? [], type.schema]);
  return isEventType(trigger) ? { event: type.name } : { ...trigger, event: type.name };
}
function reduceCancelOn(cancel) {
  const event = cancel?.event;
  return isEventType(event) ? { ...cancel, event: event.name } : cancel;
}
function createFunction(...args) {
  return defineFunction(void 0, args);
}
export {
  createFunction,
  defineFunction
};
