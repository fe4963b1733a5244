function referenceFunction(opts) {
  if (typeof opts?.functionId !== "string" || opts.functionId === "") throw new TypeError("referenceFunction needs a functionId");
  return Object.freeze({ opts: Object.freeze({ functionId: opts.functionId, ...opts.appId ? { appId: opts.appId } : {} }) });
}
function invokeTargetId(target, callerAppId) {
  if (!("opts" in target)) return target.id;
  const appId = target.opts.appId ?? callerAppId;
  return appId ? `${appId}-${target.opts.functionId}` : target.opts.functionId;
}
export {
  invokeTargetId,
  referenceFunction
};
