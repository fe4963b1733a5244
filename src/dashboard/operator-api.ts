import express, { Router, type RequestHandler } from "express";
import { BridgeError } from "../errors.ts";
import { acceptEvents } from "../events/accept-events.ts";
import { streamLiveFeed } from "./live-feed.ts";
import type { OperatorDeps } from "./operator-deps.ts";
import { presentEvent, presentRun, summarizeRun } from "./present-records.ts";
import { parseEventQuery, parseLimit, parseRunQuery } from "./query-params.ts";
import { parseIncomingEvents } from "../events/event-schema.ts";
import { DASHBOARD_SOURCE, parseBody, replayBodySchema, replayEvent } from "./replay-event.ts";

/**
 * The operator API under /api: read events, runs and functions; replay, edit and replay, cancel,
 * retry; send a test event; the live stream. Every route answers JSON (`{ error }` on failure).
 */
export function operatorApi(deps: OperatorDeps): Router {
  const { sources, accept } = deps;
  const router = Router();
  router.use("/api", deps.auth.require, noStore);
  router.post("/api/{*rest}", rejectCrossSitePost, express.json({ limit: "1mb", strict: false, type: () => true }));

  router.get("/api/stream", (req, res) => streamLiveFeed(deps.feed, req, res));
  // The dashboard shows "Sign out" only where signing in means something.
  router.get("/api/session", (_req, res) => {
    res.json({ adminToken: deps.auth.enabled });
  });

  router.get("/api/events", async (req, res) => {
    const page = await sources.listEvents(parseEventQuery(req.query));
    // The stream shows each event's runs; the run store pipelines these reads.
    const runs = await Promise.all(page.items.map((event) => sources.listRunsForEvent(event.id)));
    res.json({ events: page.items.map((event, i) => presentEvent(event, runs[i])), next: page.next ?? null });
  });
  router.post("/api/events", async (req, res) => {
    const { events, error } = parseIncomingEvents(req.body, 100);
    if (!events) throw new BridgeError("event_invalid", error ?? "invalid event");
    const ids = await acceptEvents(accept, events, DASHBOARD_SOURCE);
    res.status(201).json({ ids });
  });
  router.get("/api/events/:id", async (req, res) => {
    const event = await findEvent(deps, req.params.id as string);
    const runs = await sources.listRunsForEvent(event.id);
    res.json({ event, runs: runs.map(summarizeRun) });
  });
  router.post("/api/events/:id/replay", async (req, res) => {
    const original = await findEvent(deps, req.params.id as string);
    res.status(201).json(await replayEvent(accept, original, parseBody(replayBodySchema, req.body)));
  });
  router.post("/api/events/:id/edit-and-replay", async (req, res) => {
    const original = await findEvent(deps, req.params.id as string);
    const changes = parseBody(replayBodySchema, req.body);
    if (!changes.data) throw new BridgeError("event_invalid", "data: edit and replay needs the changed data");
    res.status(201).json(await replayEvent(accept, original, changes));
  });

  router.get("/api/runs", async (req, res) => {
    const page = await sources.listRuns(parseRunQuery(req.query));
    res.json({ runs: page.items.map(summarizeRun), next: page.next ?? null });
  });
  router.get("/api/runs/:id", async (req, res) => {
    const run = await sources.getRun(req.params.id as string);
    if (!run) throw new BridgeError("not_found", `no run ${req.params.id}`);
    res.json({ run: presentRun(run) });
  });
  router.post("/api/runs/:id/cancel", async (req, res) => {
    res.json({ run: presentRun(await sources.cancelRun(req.params.id as string)) });
  });
  router.post("/api/runs/:id/retry", async (req, res) => {
    res.json({ run: presentRun(await sources.retryRun(req.params.id as string)) });
  });

  router.get("/api/functions", async (_req, res) => {
    res.json({ functions: await sources.listFunctions() });
  });
  router.get("/api/destinations", async (_req, res) => {
    res.json({ destinations: await sources.listDestinations() });
  });
  router.get("/api/users/count", async (_req, res) => {
    if (!sources.countUsers) throw new BridgeError("not_found", "user-sync does not run in this process (FUNCTIONS, or --role receiver)");
    res.json({ count: await sources.countUsers() });
  });
  router.get("/api/outbox", async (req, res) => {
    if (!sources.listOutbox) throw new BridgeError("not_found", "the development outbox is off (SMTP_URL is set)");
    res.json({ messages: await sources.listOutbox(parseLimit(req.query)) });
  });
  router.all("/api/{*rest}", (req, _res, next) => next(new BridgeError("not_found", `no route for ${req.method} ${req.path}`)));
  return router;
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
const rejectCrossSitePost: RequestHandler = (req, _res, next) => {
  const hasBody = Number(req.headers["content-length"] ?? 0) > 0 || req.headers["transfer-encoding"] !== undefined;
  if (/^Bearer\s/i.test(req.headers.authorization ?? "") || req.is("application/json")) return next();
  if (!hasBody && req.headers["sec-fetch-site"] !== "cross-site" && !req.headers.origin) return next();
  next(new BridgeError("unsupported_media_type", "operator API requests must be application/json"));
};
