import { timingSafeEqual, createHash } from "node:crypto";
import express, { Router } from "express";
import { BridgeError } from "../errors.ts";
import { acceptEvents, type AcceptDeps } from "../events/accept-events.ts";
import type { Logger } from "../logger.ts";
import { MAX_EVENTS_PER_SEND, parseIncomingEvents } from "../events/event-schema.ts";
import { requireJson } from "./require-json.ts";

export interface EventApiDeps {
  accept: AcceptDeps;
  logger: Logger;
  /** Empty means development mode: any key is accepted (main.ts warns at start). */
  eventKeys: readonly string[];
  maxBodyBytes: number;
}

/**
 * POST /e/:key — the Inngest Event API: one event or an array, answered with
 * `{ ids, status: 200 }` in the order sent, which is what the Inngest SDK's `send()` expects.
 */
export function eventApiRoute(deps: EventApiDeps): Router {
  const router = Router();
  const keyDigests = deps.eventKeys.map(digest);

  router.post(
    "/e/:key",
    (req, _res, next) => {
      if (keyDigests.length > 0 && !keyDigests.some((known) => timingSafeEqual(known, digest(String(req.params.key))))) {
        return next(new BridgeError("event_key_invalid", "the event key is not valid"));
      }
      next();
    },
    requireJson,
    express.json({ limit: deps.maxBodyBytes, strict: false, type: () => true }),
    async (req, res) => {
      const { events: drafts, error } = parseIncomingEvents(req.body, MAX_EVENTS_PER_SEND);
      if (!drafts) throw new BridgeError("event_invalid", error ?? "invalid event");
      const ids = await acceptEvents(deps.accept, drafts, "api");
      deps.logger.info({ ids, events: drafts.map((draft) => draft.name) }, "events accepted");
      res.status(200).json({ ids, status: 200 });
    },
  );
  return router;
}

/** Equal-length digests, so comparing keys leaks neither their content nor their length. */
function digest(key: string): Buffer {
  return createHash("sha256").update(key).digest();
}
