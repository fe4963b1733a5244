import { BridgeError } from "../errors.ts";
import { acceptEvents, type AcceptDeps } from "../events/accept-events.ts";
import { firstRefusedName, SYSTEM_OWNER, type ReservedNames } from "../events/reserved-names.ts";
import { parseJson } from "../util/parse-json.ts";
import { applyTransform } from "../transforms/apply-transform.ts";
import { reloadTransform } from "../transforms/load-transforms.ts";
import type { Transform } from "../transforms/transform-types.ts";
import type { DeliveryLog } from "./delivery-log.ts";
import { messageOf } from "../util/thrown.ts";

export interface RerunDeps {
  log: DeliveryLog;
  accept: AcceptDeps;
  transformsDir: string;
  transformTimeoutMs: number;
  /** The names a template may not return, as the webhook route refuses them. */
  reserved: ReservedNames;
  getEvent(id: string): Promise<unknown>;
  /** Puts a template that a re-run proved fixed in place of the one loaded at start, so Svix's next retries pass too. */
  adopt?(source: string, transform: Transform): void;
}

/**
 * Runs a delivery its template refused (422) through the template as its file reads now, and
 * accepts what it makes as the webhook route would have: same source, same svix-id in the
 * template's context, so the events get the ids they would have had and a later Svix retry of the
 * same message dedupes. Answers the accepted ids and the `rerun` entry it adds to the log. A
 * template that still fails answers 422 with its error, and nothing is stored.
 */
export async function rerunDelivery(
  deps: RerunDeps,
  deliveryId: string,
): Promise<{ ids: string[]; delivery: string; source: string; svixId: string }> {
  const delivery = await deps.log.get(deliveryId);
  if (!delivery)
    throw new BridgeError(
      "not_found",
      `no delivery ${deliveryId} (the log keeps the newest 10,000, none older than RETENTION)`,
    );
  if (!delivery.rerunnable)
    throw new BridgeError(
      "conflict",
      "only a delivery refused by its template (422) keeps its verified payload and can be re-run",
    );
  const payload = await deps.log.readPayload(deliveryId);
  if (!payload) throw new BridgeError("not_found", `the payload of delivery ${deliveryId} has expired (RETENTION)`);
  const { source, svixId, svixTimestamp } = payload;
  const transform = await reloadTransform(deps.transformsDir, source).catch((error: unknown) => {
    throw new BridgeError("transform_failed", messageOf(error), { cause: error });
  });
  const context = { source, webhookId: svixId, webhookTimestamp: svixTimestamp };
  const drafts = await applyTransform(transform, parseJson(payload.body), context, deps.transformTimeoutMs);
  const refused = firstRefusedName(
    deps.reserved,
    drafts.map((draft) => draft.name),
    (owner) => owner === source && owner !== SYSTEM_OWNER,
  );
  if (refused)
    throw new BridgeError(
      "transform_failed",
      `transform "${source}" returned "${refused.name}": those names come only from /webhooks/${refused.owner}`,
    );
  // Already in (re-run before, or Svix's retry got through): say so rather than add a duplicate.
  const existing = await Promise.all(
    drafts.map((draft) => (draft.id === undefined ? undefined : deps.getEvent(draft.id))),
  );
  if (drafts.length > 0 && existing.every(Boolean))
    throw new BridgeError("conflict", `already accepted: ${drafts.map((draft) => draft.id).join(", ")}`);
  const ids = await acceptEvents(deps.accept, drafts, source);
  deps.adopt?.(source, transform);
  const entry = await deps.log.record({ source, svixId, outcome: "rerun", status: 200, eventIds: ids });
  return { ids, delivery: entry, source, svixId };
}
