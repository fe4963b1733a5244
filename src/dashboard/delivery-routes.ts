import type { Router } from "express";
import { BridgeError } from "../errors.ts";
import type { AuditAction, OperatorDeps } from "./operator-deps.ts";
import { parseDeliveryQuery } from "./query-params.ts";

const STREAM_ID = /^\d{1,20}-\d{1,20}$/;

/**
 * The delivery log: list it, read one delivery (with the verified payload it kept, if any),
 * re-run one its template refused; an event's deliveries; sending an event to the dev bridge.
 */
export function mountDeliveryRoutes(router: Router, deps: OperatorDeps, audit: AuditAction): void {
  const { deliveries, devBridge } = deps.console;
  router.get("/api/deliveries", async (req, res) => {
    const page = await deliveries.list(parseDeliveryQuery(req.query));
    res.json({ deliveries: page.deliveries, next: page.next ?? null, sources: deps.console.webhookSources });
  });
  router.get("/api/deliveries/:id", async (req, res) => {
    const id = deliveryIdOf(req.params.id as string);
    const delivery = await deliveries.get(id);
    if (!delivery) throw new BridgeError("not_found", `no delivery ${id}`);
    // A kept payload was verified (only a 422's is kept): it may be shown, and parsed for display.
    const payload = delivery.rerunnable ? await deliveries.payload(id) : undefined;
    res.json({ delivery, ...(payload ? { payload: safeParse(payload.body) } : {}) });
  });
  router.post("/api/deliveries/:id/rerun", async (req, res) => {
    const result = await deliveries.rerun(deliveryIdOf(req.params.id as string));
    await audit(req, res, {
      action: "rerun-delivery",
      target: result.svixId,
      details: { source: result.source, ids: result.ids, delivery: req.params.id },
    });
    res.status(201).json(result);
  });
  router.get("/api/events/:id/deliveries", async (req, res) => {
    const event = await deps.sources.getEvent(req.params.id as string);
    if (!event) throw new BridgeError("not_found", `no event ${req.params.id} (events expire after RETENTION)`);
    res.json({ deliveries: await deliveries.ofEvent(event) });
  });
  router.post("/api/events/:id/send-to-dev-bridge", async (req, res) => {
    if (!devBridge)
      throw new BridgeError(
        "not_found",
        "no other bridge is configured: set DEV_BRIDGE_URL (and DEV_BRIDGE_EVENT_KEY)",
      );
    const event = await deps.sources.getEvent(req.params.id as string);
    if (!event) throw new BridgeError("not_found", `no event ${req.params.id} (events expire after RETENTION)`);
    const sent = await devBridge.send(event);
    await audit(req, res, {
      action: "send-to-dev-bridge",
      target: event.id,
      details: { name: event.name, to: new URL(devBridge.url).origin },
    });
    res.json({ ...sent, url: devBridge.url });
  });
}

function deliveryIdOf(id: string): string {
  if (!STREAM_ID.test(id)) throw new BridgeError("not_found", `no delivery ${id.slice(0, 64)}`);
  return id;
}

function safeParse(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}
