const INVOKE_TIMEOUT_ERROR = {
  name: "InngestInvokeTimeoutError",
  message: "Timed out waiting for invoked function to complete"
};
function planStep(stored, request, now) {
  if (stored?.status === "completed") return { kind: "return", value: stored.output ?? null };
  if (stored?.status === "failed") return { kind: "throw", error: stored.error ?? { name: "Error", message: "step failed" } };
  switch (request.op) {
    case "run":
    case "sendEvent":
    case "sendSignal":
    case "fetch":
      if (stored?.status === "retrying" && (stored.retryAt ?? 0) > now) return { kind: "suspend", until: stored.retryAt };
      return { kind: "execute" };
    case "sleep": {
      const wakeAt = stored?.wakeAt ?? request.wakeAt;
      if (wakeAt <= now) return { kind: "end-sleep" };
      return stored ? { kind: "suspend", until: wakeAt } : { kind: "begin-sleep", until: wakeAt };
    }
    case "waitForEvent":
    case "waitForSignal":
    case "invoke": {
      const timeoutAt = stored?.wakeAt ?? request.timeoutAt;
      if (!stored) return { kind: "begin-wait", until: timeoutAt };
      if (timeoutAt <= now) return { kind: "time-out-wait", result: request.op === "invoke" ? { error: INVOKE_TIMEOUT_ERROR } : { output: null } };
      return request.op === "invoke" ? { kind: "ensure-invoke", until: timeoutAt } : { kind: "suspend", until: timeoutAt };
    }
  }
}
const WAIT_OPS = /* @__PURE__ */ new Set(["waitForEvent", "waitForSignal", "invoke"]);
function waitSettledMeanwhile(before, after) {
  const was = new Map(before.map((step) => [step.id, step.status]));
  return after.some((step) => WAIT_OPS.has(step.op) && (step.status === "completed" || step.status === "failed") && (was.get(step.id) ?? "waiting") === "waiting");
}
function createStepIdAllocator() {
  const used = /* @__PURE__ */ new Set();
  const nextIndex = /* @__PURE__ */ new Map();
  return (baseId) => {
    if (!used.has(baseId) && !nextIndex.has(baseId)) {
      used.add(baseId);
      nextIndex.set(baseId, 1);
      return baseId;
    }
    for (let index = nextIndex.get(baseId) ?? 1; ; index++) {
      const candidate = `${baseId}:${index}`;
      if (!used.has(candidate)) {
        used.add(candidate);
        nextIndex.set(baseId, index + 1);
        return candidate;
      }
    }
  };
}
export {
  INVOKE_TIMEOUT_ERROR,
  WAIT_OPS,
  createStepIdAllocator,
  planStep,
  waitSettledMeanwhile
};
