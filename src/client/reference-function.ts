/**
 * `referenceFunction({ functionId, appId? })`: names a function for `step.invoke` without
 * importing its code, as in Inngest. Only the names are held.
 */
export interface InngestFunctionReference<_TFunction = unknown> {
  readonly opts: { readonly functionId: string; readonly appId?: string };
}

export function referenceFunction<TFunction = unknown>(opts: {
  functionId: string;
  appId?: string;
}): InngestFunctionReference<TFunction> {
  if (typeof opts?.functionId !== "string" || opts.functionId === "")
    throw new TypeError("referenceFunction needs a functionId");
  return Object.freeze({
    opts: Object.freeze({ functionId: opts.functionId, ...(opts.appId ? { appId: opts.appId } : {}) }),
  });
}

/**
 * The function id `step.invoke` targets: a function's own id; for a reference,
 * `<app id>-<function id>` with the caller's app when it names none (Inngest's rule), or the bare
 * id when neither has an app. The registry finds a function by either form.
 */
export function invokeTargetId(target: { id: string } | InngestFunctionReference, callerAppId?: string): string {
  if (!("opts" in target)) return target.id;
  const appId = target.opts.appId ?? callerAppId;
  return appId ? `${appId}-${target.opts.functionId}` : target.opts.functionId;
}
