import { createHash, timingSafeEqual } from "node:crypto";
import { Router } from "express";
import { BridgeError } from "../errors.js";
import { acceptEvents } from "../events/accept-events.js";
import { MAX_EVENTS_PER_SEND, parseIncomingEvents } from "../events/event-schema.js";
import { firstRefusedName, SYSTEM_OWNER } from "../events/reserved-names.js";
import { clientAddress, isLoopback } from "./client-address.js";
import { tooManyFailures } from "./failure-limiter.js";
import { jsonBody } from "./parse-json.js";
import { requireJson } from "./require-json.js";
function eventApiRoute(deps) {
  const router = Router();
  router.post("/e/:key", checkKey(deps), requireJson, ...jsonBody(deps.maxBodyBytes), async (req, res) => {
    const { events: drafts, error } = parseIncomingEvents(req.body, MAX_EVENTS_PER_SEND);
    if (!drafts) throw new BridgeError("event_invalid", error ?? "invalid event");
    const trusted = res.locals.trustedKey === true || deps.eventKeys.length === 0 && isLoopback(req);
    const refused = firstRefusedName(deps.reserved, drafts.map((draft) => draft.name), (owner) => trusted && owner !== SYSTEM_OWNER);
    if (refused) throw reservedError(refused, deps.eventKeys.length === 0);
    const ids = await acceptEvents(deps.accept, drafts, "api");
    deps.logger.info({ ids, events: drafts.map((draft) => draft.name) }, "events accepted");
    res.status(200).json({ ids, status: 200 });
  });
  return router;
}
function checkKey(deps) {
  const keyDigests = deps.eventKeys.map(digest);
  const trustedDigests = deps.trustedEventKeys.map(digest);
  const matches = (candidate, known) => known.reduce((found, key) => timingSafeEqual(key, candidate) || found, false);
  return async (req, res, next) => {
    if (keyDigests.length === 0) return next();
    const address = clientAddress(req);
    const blocked = await deps.limiter?.blockedFor(address, { local: true }) ?? 0;
    if (blocked > 0) throw tooManyFailures(blocked);
    const candidate = digest(String(req.params.key));
    if (!matches(candidate, keyDigests)) {
      const nowBlocked = await deps.limiter?.recordFailure(address) ?? 0;
      if (nowBlocked > 0) throw tooManyFailures(nowBlocked);
      throw new BridgeError("event_key_invalid", "the event key is not valid");
    }
    res.locals.trustedKey = matches(candidate, trustedDigests);
    next();
  };
}
function reservedError({ name, owner }, devMode) {
  const who = owner === SYSTEM_OWNER ? `${SYSTEM_OWNER}/ names are the bridge's own events` : `${owner}/ names come only from verified /webhooks/${owner} deliveries, the operator API, or a key in TRUSTED_EVENT_KEYS${devMode ? " (while EVENT_KEYS is unset: a client on this machine)" : ""}`;
  return new BridgeError("event_name_reserved", `"${name}" is reserved: ${who}`);
}
function digest(key) {
  return createHash("sha256").update(key).digest();
}
export {
  eventApiRoute
};
