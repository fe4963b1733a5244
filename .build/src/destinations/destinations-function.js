import { NonRetriableError } from "../engine/index.js";
import { bridgeApp } from "../functions/bridge-app.js";
import { DESTINATIONS_ID } from "../functions/built-in-ids.js";
import { idempotencyKey, prepareRequest } from "./prepare-request.js";
import { sendRequest } from "./send-request.js";
const DESTINATION_RETRIES = 12;
function createDestinationsFunction(deps) {
  const enabled = deps.destinations.filter((destination) => destination.on);
  if (enabled.length === 0) return void 0;
  return bridgeApp.createFunction(
    { id: DESTINATIONS_ID, name: "Send events to destinations", triggers: triggersFor(enabled), retries: deps.retries ?? DESTINATION_RETRIES },
    async ({ event, step }) => {
      const plans = await Promise.all(enabled.filter((destination) => destination.matches(event)).map((destination) => planDelivery(destination, event)));
      const sends = plans.map(
        (plan) => plan.kind === "send" ? step.run(`deliver ${plan.destination.name}`, () => sendRequest(plan.destination, plan.request)) : void 0
      );
      const settled = await Promise.allSettled(sends);
      const delivered = {};
      const failures = [];
      plans.forEach((plan, index) => {
        const outcome = settled[index];
        const { name } = plan.destination;
        if (plan.kind === "invalid") failures.push(`${name}: request() failed: ${plan.error.message}`);
        else if (outcome.status === "rejected") failures.push(outcome.reason.message);
        else if (plan.kind === "send") delivered[name] = outcome.value?.status;
      });
      const skipped = plans.filter((plan) => plan.kind === "skip").map((plan) => plan.destination.name);
      if (failures.length > 0) {
        throw new NonRetriableError(`${failures.length} of ${plans.length} destination(s) failed: ${failures.join("; ")}`);
      }
      return { delivered, ...skipped.length > 0 ? { skipped } : {} };
    }
  );
}
async function planDelivery(destination, event) {
  try {
    const request = await destination.request(event);
    if (request === null) return { kind: "skip", destination };
    return { kind: "send", destination, request: prepareRequest(request, idempotencyKey(event.id, destination.name)) };
  } catch (error) {
    return { kind: "invalid", destination, error: error instanceof Error ? error : new Error(String(error)) };
  }
}
function triggersFor(destinations) {
  const byPattern = /* @__PURE__ */ new Map();
  for (const destination of destinations) {
    for (const pattern of destination.events) byPattern.set(pattern, [...byPattern.get(pattern) ?? [], destination]);
  }
  return [...byPattern].map(([pattern, takers]) => {
    const conditions = takers.map((taker) => taker.if);
    if (conditions.some((condition) => condition === void 0)) return { event: pattern };
    const unique = [...new Set(conditions)];
    return { event: pattern, if: unique.length === 1 ? unique[0] : unique.map((condition) => `(${condition})`).join(" || ") };
  });
}
export {
  DESTINATION_RETRIES,
  createDestinationsFunction,
  triggersFor
};
