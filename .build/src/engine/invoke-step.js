import { NonRetriableError } from "./non-retriable-error.js";
import { parseTimeout } from "./parse-time.js";
import { toStorable } from "./to-storable.js";
const DEFAULT_INVOKE_TIMEOUT_MS = 365 * 24 * 60 * 60 * 1e3;
function invokeStep(step, now, id, options, beginInvoke) {
  const what = `step.invoke("${typeof id === "string" ? id : id?.id}")`;
  const target = invokeTargetOf(options?.function);
  if (!target) throw new NonRetriableError(`${what}: invalid invocation options; "function" must be a function or referenceFunction({ functionId, appId? })`);
  const data = options.data ?? {};
  if (typeof data !== "object" || data === null || Array.isArray(data)) throw new NonRetriableError(`${what}: data must be an object`);
  const request = {
    target,
    data: toStorable(data, `${what} data`),
    ...options.user === void 0 ? {} : { user: toStorable(options.user, `${what} user`) },
    ...options.v === void 0 ? {} : { v: String(options.v) }
  };
  const timeoutAt = options.timeout === void 0 ? now() + DEFAULT_INVOKE_TIMEOUT_MS : parseTimeout(options.timeout, now(), what);
  return step(id, { op: "invoke", timeoutAt }, { begin: (waiting) => beginInvoke(waiting, request) });
}
function invokeTargetOf(fn) {
  if (typeof fn !== "object" || fn === null) return void 0;
  const record = fn;
  if (typeof record.id === "string" && typeof record.handler === "function") return { kind: "function", id: record.id };
  const reference = typeof record.opts === "object" && record.opts !== null ? record.opts : record;
  if (typeof reference.functionId !== "string" || reference.functionId === "") return void 0;
  const appId = typeof reference.appId === "string" && reference.appId !== "" ? reference.appId : void 0;
  return { kind: "reference", functionId: reference.functionId, ...appId ? { appId } : {} };
}
export {
  DEFAULT_INVOKE_TIMEOUT_MS,
  invokeStep
};
