import { NonRetriableError, type BridgeFunction, type EventTrigger, type FunctionEvent } from "../client/index.ts";
import { bridgeApp } from "../functions/bridge-app.ts";
import type { OutboundFetch } from "../outbound/outbound-fetch.ts";
import { DESTINATIONS_ID } from "../config/built-in-ids.ts";
import type { LoadedDestination } from "./check-destination.ts";
import { idempotencyKey, prepareRequest, type PreparedRequest } from "./prepare-request.ts";
import { sendRequest } from "./send-request.ts";
import { userIdsOf } from "../events/user-ids.ts";
import { skippedSend, type UserGoneCheck } from "../functions/user-gone.ts";
import { messageOf } from "../util/thrown.ts";

/** Each step's budget: 12 retries (base·2^n, capped at an hour) span about an hour, past an outage. */
export const DESTINATION_RETRIES = 12;

type Plan =
  | { kind: "send"; destination: LoadedDestination; request: PreparedRequest }
  | { kind: "skip"; destination: LoadedDestination }
  | { kind: "invalid"; destination: LoadedDestination; error: Error };

/**
 * The built-in `destinations`: one run per event, in which every destination that takes the event
 * gets its request sent as a step of its own ("deliver <name>"), all in parallel. Each step is
 * stored and retried on its own, so a destination that is down delays only itself and a retry of
 * the run sends nothing again to those that answered. The run fails, naming them, when any
 * destination failed for good. Undefined when no destination is on: nothing to register.
 * `fetch` applies the address policy: a destination's URL may come from an event.
 */
export function createDestinationsFunction(deps: {
  destinations: readonly LoadedDestination[];
  retries?: number;
  userGone?: UserGoneCheck;
  fetch: OutboundFetch;
}): BridgeFunction | undefined {
  const enabled = deps.destinations.filter((destination) => destination.on);
  if (enabled.length === 0) return undefined;
  return bridgeApp.createFunction(
    {
      id: DESTINATIONS_ID,
      name: "Send events to destinations",
      triggers: triggersFor(enabled),
      retries: deps.retries ?? DESTINATION_RETRIES,
    },
    async ({ event, step }) => {
      const plans = await Promise.all(
        enabled
          .filter((destination) => destination.matches(event))
          .map((destination) => planDelivery(destination, event)),
      );
      // A deleted or erased user (their deletion may have come first) is looked for right before
      // each send, inside its step: a skipped send is that step's result, saying why.
      // The deletion itself still goes out (a CRM must hear of it) unless the user was erased.
      const users = userIdsOf(event);
      const isDeletion = event.name.endsWith("/user.deleted");
      const sendUnlessGone = async (plan: Extract<Plan, { kind: "send" }>) => {
        const gone = deps.userGone ? await deps.userGone(users) : undefined;
        return gone && !(gone === "deleted" && isDeletion)
          ? skippedSend(gone)
          : sendRequest(plan.destination, plan.request, deps.fetch);
      };
      const sends = plans.map((plan) =>
        plan.kind === "send" ? step.run(`deliver ${plan.destination.name}`, () => sendUnlessGone(plan)) : undefined,
      );
      const settled = await Promise.allSettled(sends);
      const delivered: Record<string, number | undefined> = {};
      const failures: string[] = [];
      const goneSkips: string[] = [];
      plans.forEach((plan, index) => {
        const outcome = settled[index];
        const value = outcome?.status === "fulfilled" ? outcome.value : undefined;
        const { name } = plan.destination;
        if (plan.kind === "invalid") failures.push(`${name}: request() failed: ${plan.error.message}`);
        else if (outcome?.status === "rejected") failures.push(messageOf(outcome.reason));
        else if (value && "skipped" in value) goneSkips.push(name);
        else if (plan.kind === "send") delivered[name] = value?.status;
      });
      const skipped = plans.filter((plan) => plan.kind === "skip").map((plan) => plan.destination.name);
      if (failures.length > 0) {
        // Not retried as a whole: every step has spent its own budget, and the delivered ones are stored.
        throw new NonRetriableError(
          `${failures.length} of ${plans.length} destination(s) failed: ${failures.join("; ")}`,
        );
      }
      return {
        delivered,
        ...(skipped.length > 0 ? { skipped } : {}),
        ...(goneSkips.length > 0 ? { skippedUserGone: goneSkips } : {}),
      };
    },
  );
}

/**
 * The request is made outside the step, on every replay: a destination's `request()` is pure,
 * holds its secrets (which a stored step input would keep in Redis), and may return null to skip
 * the event without a step on the timeline.
 */
async function planDelivery(destination: LoadedDestination, event: FunctionEvent): Promise<Plan> {
  try {
    const request = await destination.request(event);
    if (request === null) return { kind: "skip", destination };
    return { kind: "send", destination, request: prepareRequest(request, idempotencyKey(event.id, destination.name)) };
  } catch (error) {
    return { kind: "invalid", destination, error: error instanceof Error ? error : new Error(String(error)) };
  }
}

/**
 * The union of the destinations' patterns, one trigger per pattern. A pattern whose destinations
 * all have an `if` gets their disjunction as its own, so an event none of them takes starts no run.
 */
export function triggersFor(destinations: readonly LoadedDestination[]): EventTrigger[] {
  const byPattern = new Map<string, LoadedDestination[]>();
  for (const destination of destinations) {
    for (const pattern of destination.events) byPattern.set(pattern, [...(byPattern.get(pattern) ?? []), destination]);
  }
  return [...byPattern].map(([pattern, takers]) => {
    const conditions = takers.map((taker) => taker.if);
    if (conditions.some((condition) => condition === undefined)) return { event: pattern };
    const unique = [...new Set(conditions.filter((condition) => condition !== undefined))];
    return {
      event: pattern,
      if: unique.length === 1 ? unique[0] : unique.map((condition) => `(${condition})`).join(" || "),
    };
  });
}
