import { Router, type Request, type RequestHandler } from "express";
import { BridgeError } from "../errors.ts";
import { acceptEvents } from "../events/accept-events.ts";
import { clientAddress } from "../http/client-address.ts";
import { jsonBody } from "../util/parse-json.ts";
import { sentFromSameOrigin } from "../http/same-origin.ts";
import { streamLiveFeed } from "./live-feed.ts";
import type { AuditAction, OperatorDeps } from "./operator-deps.ts";
import { presentEvent, presentRun, summarizeRun } from "./present-records.ts";
import { parseAuditQuery, parseEventQuery, parseLimit, parseRunQuery } from "./query-params.ts";
import { parseIncomingEvents } from "../events/event-schema.ts";
import { DASHBOARD_SOURCE, parseBody, replayBodySchema, resendEvent } from "../events/resend-event.ts";
import { mountBulkRoutes } from "./bulk-routes.ts";
import { mountDeliveryRoutes } from "./delivery-routes.ts";
import { mountFunctionRoutes } from "./function-routes.ts";

/**
 * The operator API under /api: read events, runs and functions; replay, edit and replay, cancel,
 * retry; send a test event; the live stream; the audit log. Every route answers JSON (`{ error }`
 * on failure), and every action that changes something is written to the audit log.
 */
export function operatorApi(deps: OperatorDeps): Router {
  const router = Router();
  // A failed audit write is logged; the answer stands, since the action has already happened.
  const audit: AuditAction = (req, res, entry) =>
    deps.audit
      .record({ ...entry, actor: String(res.locals.operator), address: clientAddress(req) })
      .catch(deps.onAuditError);
  router.use("/api", deps.auth.require, noStore);
  // Every method that changes something (DELETE /api/users/:id too), not only POST.
  for (const method of ["post", "put", "patch", "delete"] as const)
    router[method]("/api/{*rest}", rejectCrossSite, ...jsonBody("1mb"));

  router.get("/api/stream", (req, res) => streamLiveFeed(deps.feed, req, res));
  // The dashboard shows "Sign out" only where signing in means something, and warns about a
  // webhook source whose deliveries cannot be verified (its empty Runs and Deliveries pages).
  router.get("/api/session", (_req, res) => {
    res.json({
      adminToken: deps.auth.enabled,
      operator: res.locals.operator,
      devBridge: deps.console.devBridge?.url ?? null,
      webhooks: deps.console.webhookSecrets,
    });
  });
  router.get("/api/audit", async (req, res) => {
    const page = await deps.audit.list(parseAuditQuery(req.query));
    res.json({ entries: page.items, next: page.next ?? null });
  });
  mountEventRoutes(router, deps, audit);
  mountRunRoutes(router, deps, audit);
  mountDeliveryRoutes(router, deps, audit);
  mountBulkRoutes(router, deps, audit);
  mountFunctionRoutes(router, deps, audit);
  mountDirectoryRoutes(router, deps, audit);
  router.all("/api/{*rest}", (req, _res, next) =>
    next(new BridgeError("not_found", `no route for ${req.method} ${req.path.slice(0, 200)}`)),
  );
  return router;
}

/** List, read, send, replay, edit and replay events. */
function mountEventRoutes(router: Router, deps: OperatorDeps, audit: AuditAction): void {
  const { sources, accept } = deps;
  router.get("/api/events", async (req, res) => {
    const { q, ...query } = parseEventQuery(req.query);
    const page = q
      ? await deps.console.searchEvents({ ...query, q })
      : { ...(await sources.listEvents(query)), search: undefined };
    // The stream shows each event's runs; the run store pipelines these reads.
    const runs = await Promise.all(page.items.map((event) => sources.listRunsForEvent(event.id)));
    res.json({
      events: page.items.map((event, i) => presentEvent(event, runs[i])),
      next: page.next ?? null,
      ...(page.search ? { search: page.search } : {}),
    });
  });
  router.post("/api/events", async (req, res) => {
    const { events, error } = parseIncomingEvents(req.body, 100);
    if (!events) throw new BridgeError("event_invalid", error ?? "invalid event");
    const ids = await acceptEvents(accept, events, DASHBOARD_SOURCE);
    await audit(req, res, {
      action: "send",
      target: ids.join(","),
      details: { names: [...new Set(events.map((event) => event.name))] },
    });
    res.status(201).json({ ids });
  });
  router.get("/api/events/:id", async (req, res) => {
    const event = await findEvent(deps, req.params.id as string);
    const runs = await sources.listRunsForEvent(event.id);
    res.json({ event, runs: runs.map(summarizeRun) });
  });
  router.post("/api/events/:id/replay", async (req, res) => {
    const original = await findEvent(deps, req.params.id as string);
    const replay = await resendEvent(accept, original, parseBody(replayBodySchema, req.body));
    await audit(req, res, { action: "replay", target: original.id, details: { name: original.name, id: replay.id } });
    res.status(201).json(replay);
  });
  router.post("/api/events/:id/edit-and-replay", async (req, res) => {
    const original = await findEvent(deps, req.params.id as string);
    const changes = parseBody(replayBodySchema, req.body);
    if (!changes.data) throw new BridgeError("event_invalid", "data: edit and replay needs the changed data");
    const replay = await resendEvent(accept, original, changes);
    await audit(req, res, {
      action: "edit-and-replay",
      target: original.id,
      details: { name: original.name, id: replay.id },
    });
    res.status(201).json(replay);
  });
}

/** List and read runs; cancel and retry them. */
function mountRunRoutes(router: Router, { sources }: OperatorDeps, audit: AuditAction): void {
  router.get("/api/runs", async (req, res) => {
    const page = await sources.listRuns(parseRunQuery(req.query));
    res.json({ runs: page.items.map(summarizeRun), next: page.next ?? null });
  });
  router.get("/api/runs/:id", async (req, res) => {
    const run = await sources.getRun(runIdOf(req));
    if (!run) throw new BridgeError("not_found", `no run ${req.params.id}`);
    res.json({ run: presentRun(run) });
  });
  router.post("/api/runs/:id/cancel", async (req, res) => {
    const run = await sources.cancelRun(runIdOf(req));
    await audit(req, res, {
      action: "cancel",
      target: run.id,
      details: { functionId: run.functionId, eventId: run.eventId },
    });
    res.json({ run: presentRun(run) });
  });
  router.post("/api/runs/:id/retry", async (req, res) => {
    const run = await sources.retryRun(runIdOf(req));
    await audit(req, res, {
      action: "retry",
      target: run.id,
      details: { functionId: run.functionId, eventId: run.eventId },
    });
    res.json({ run: presentRun(run) });
  });
}

/** The functions, the users count and the outbox. */
function mountDirectoryRoutes(router: Router, { sources }: OperatorDeps, audit: AuditAction): void {
  router.get("/api/functions", async (_req, res) => {
    res.json({ functions: await sources.listFunctions() });
  });
  router.get("/api/destinations", async (_req, res) => {
    res.json({ destinations: await sources.listDestinations() });
  });
  router.get("/api/users/count", async (_req, res) => {
    if (!sources.countUsers)
      throw new BridgeError("not_found", "user-sync does not run in this process (FUNCTIONS, or --role receiver)");
    res.json({ count: await sources.countUsers() });
  });
  // Erasure (issue 13): the answer counts what went; the audit line names the user id, nothing more.
  router.delete("/api/users/:id", async (req, res) => {
    const report = await sources.eraseUser(clerkUserIdOf(req));
    await audit(req, res, { action: "erase", target: report.userId, details: { ...report } });
    res.json({ erased: report });
  });
  router.get("/api/outbox", async (req, res) => {
    if (!sources.listOutbox) throw new BridgeError("not_found", "the development outbox is off (SMTP_URL is set)");
    res.json({ messages: await sources.listOutbox(parseLimit(req.query)) });
  });
}

/**
 * A run id from the URL, refused as unknown unless it could be one (the router makes them as
 * `r-<digest>`): the run's key is made from it, and only a run that exists reaches its BullMQ job.
 */
function runIdOf(req: Request): string {
  const id = String(req.params.id);
  if (!/^[A-Za-z0-9_.~-]{1,128}$/.test(id)) throw new BridgeError("not_found", `no run ${id.slice(0, 128)}`);
  return id;
}

/** A Clerk user id (`user_...`) or an Event API `user.id`: printable, bounded; only its digest reaches a key. */
function clerkUserIdOf(req: Request): string {
  const id = String(req.params.id);
  if (!/^[\x21-\x7e]{1,256}$/.test(id))
    throw new BridgeError("not_found", `no user ${id.slice(0, 128)}: a user id is 1 to 256 printable characters`);
  return id;
}

async function findEvent(deps: OperatorDeps, id: string) {
  const event = await deps.sources.getEvent(id);
  if (!event) throw new BridgeError("not_found", `no event ${id} (events expire after RETENTION)`);
  return event;
}

/** Operator data changes under the operator's eyes: never let a browser or proxy cache it. */
const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader("cache-control", "no-store");
  next();
};

/**
 * A cross-site form can POST with the browser's cookie but cannot send application/json without
 * a CORS preflight, which we never grant. Bearer requests are not ambient, so they are exempt.
 */
const rejectCrossSite: RequestHandler = (req, _res, next) => {
  const hasBody = Number(req.headers["content-length"] ?? 0) > 0 || req.headers["transfer-encoding"] !== undefined;
  if (/^Bearer\s/i.test(req.headers.authorization ?? "")) return next();
  // Also a page on a sibling subdomain, which SameSite=Strict counts as the same site.
  if (sentFromSameOrigin(req) === false)
    return next(
      new BridgeError("cross_site_request", "operator API requests must come from the dashboard's own pages"),
    );
  if (req.is("application/json")) return next();
  if (!hasBody && req.headers["sec-fetch-site"] !== "cross-site" && !req.headers.origin) return next();
  next(new BridgeError("unsupported_media_type", "operator API requests must be application/json"));
};
