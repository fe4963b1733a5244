import { createHash, timingSafeEqual } from "node:crypto";
import { Router, type RequestHandler } from "express";
import { BridgeError } from "../errors.ts";
import { acceptEventsReporting, type AcceptDeps } from "../events/accept-events.ts";
import type { Logger } from "../logger.ts";
import { MAX_EVENTS_PER_SEND, parseIncomingEvents } from "../events/event-schema.ts";
import { firstRefusedName, SYSTEM_OWNER, type ReservedNames } from "../events/reserved-names.ts";
import { clientAddress, isLoopback, refusedAsLocal } from "./client-address.ts";
import { tooManyFailures, type FailureLimiter } from "./failure-limiter.ts";
import { jsonBody } from "../util/parse-json.ts";
import { requireJson } from "./require-json.ts";

export interface EventApiDeps {
  accept: AcceptDeps;
  logger: Logger;
  /** Empty means development mode: any key is accepted (app/startup-report.ts warns at start). */
  eventKeys: readonly string[];
  /** Keys that may send events named like a webhook source's (`clerk/*`); a subset of eventKeys. */
  trustedEventKeys: readonly string[];
  maxBodyBytes: number;
  reserved: ReservedNames;
  /** Counts wrong keys per client address; absent, wrong keys are only refused. */
  limiter?: FailureLimiter;
}

/**
 * POST /e/:key — the Inngest Event API: one event or an array, answered with
 * `{ ids, status: 200 }` in the order sent, which is what the Inngest SDK's `send()` expects.
 */
export function eventApiRoute(deps: EventApiDeps): Router {
  const router = Router();
  router.post("/e/:key", checkKey(deps), requireJson, ...jsonBody(deps.maxBodyBytes), async (req, res) => {
    const { events: drafts, error } = parseIncomingEvents(req.body, MAX_EVENTS_PER_SEND);
    if (!drafts) throw new BridgeError("event_invalid", error ?? "invalid event");
    const trusted = res.locals.trustedKey === true || (deps.eventKeys.length === 0 && isLoopback(req));
    const refused = firstRefusedName(
      deps.reserved,
      drafts.map((draft) => draft.name),
      (owner) => trusted && owner !== SYSTEM_OWNER,
    );
    // While EVENT_KEYS is unset a client on this machine may send them: one that is, but is not
    // taken for local (a proxy, another host name), is told why.
    if (refused) throw reservedError(refused, deps.eventKeys.length === 0 ? (refusedAsLocal(req) ?? "") : undefined);
    // A key outside TRUSTED_EVENT_KEYS gets a namespace of its own for the ids it names: it cannot
    // squat a trusted path's. Development mode (no EVENT_KEYS) has no keys to tell apart: one namespace.
    const untrusted = deps.eventKeys.length > 0 && res.locals.trustedKey !== true;
    const { ids, erased } = await acceptEventsReporting(deps.accept, drafts, "api", { untrusted });
    deps.logger.info(
      { ids, events: drafts.map((draft) => draft.name), ...(erased.length > 0 ? { erased } : {}) },
      "events accepted",
    );
    res.status(200).json({ ids, status: 200 });
  });
  return router;
}

/**
 * The key check, before the body is read. Wrong keys are counted per client address; a blocked
 * address is refused whatever key it sends, checked in this process's memory only, so a valid
 * key costs no Redis round trip.
 */
function checkKey(deps: EventApiDeps): RequestHandler {
  const keyDigests = deps.eventKeys.map(digest);
  const trustedDigests = deps.trustedEventKeys.map(digest);
  const matches = (candidate: Buffer, known: Buffer[]) =>
    known.reduce((found, key) => timingSafeEqual(key, candidate) || found, false);
  return async (req, res, next) => {
    if (keyDigests.length === 0) return next();
    const address = clientAddress(req);
    const blocked = (await deps.limiter?.blockedFor(address, { local: true })) ?? 0;
    if (blocked > 0) throw tooManyFailures(blocked);
    const candidate = digest(String(req.params.key));
    if (!matches(candidate, keyDigests)) {
      const nowBlocked = (await deps.limiter?.recordFailure(address)) ?? 0;
      if (nowBlocked > 0) throw tooManyFailures(nowBlocked);
      throw new BridgeError("event_key_invalid", "the event key is not valid");
    }
    res.locals.trustedKey = matches(candidate, trustedDigests);
    next();
  };
}

/** `devMode`: EVENT_KEYS is unset, and this is why the client was not taken for this machine ("" when it is elsewhere). */
function reservedError({ name, owner }: { name: string; owner: string }, devMode: string | undefined): BridgeError {
  const local =
    devMode === undefined
      ? ""
      : ` (while EVENT_KEYS is unset: a client on this machine${devMode ? `; ${devMode}` : ""})`;
  const who =
    owner === SYSTEM_OWNER
      ? `${SYSTEM_OWNER}/ names are the bridge's own events`
      : `${owner}/ names come only from verified /webhooks/${owner} deliveries, the operator API, or a key in TRUSTED_EVENT_KEYS${local}`;
  return new BridgeError("event_name_reserved", `"${name}" is reserved: ${who}`);
}

/** Equal-length digests, so comparing keys leaks neither their content nor their length. */
function digest(key: string): Buffer {
  return createHash("sha256").update(key).digest();
}
