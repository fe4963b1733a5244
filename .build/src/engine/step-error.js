import { deserializeError } from "./deserialize-error.js";
const STEP_ERROR = /* @__PURE__ */ Symbol.for("clerk-webhook-bridge.StepError");
class StepError extends Error {
  stepId;
  constructor(stepId, err) {
    const stored = deserializeError(err);
    super(stored.message);
    this.name = stored.name;
    this.stepId = stepId;
    if (stored.stack) this.stack = stored.stack;
    if (stored.cause !== void 0) this.cause = stored.cause;
    Object.defineProperty(this, STEP_ERROR, { value: true });
  }
}
function isStepError(error) {
  return error instanceof StepError || typeof error === "object" && error !== null && error[STEP_ERROR] === true;
}
export {
  StepError,
  isStepError
};
