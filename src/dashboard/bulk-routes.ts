import type { Router } from "express";
import { describeBulkRequest, parseBulkRequest, type BulkRequest } from "../bulk/bulk-request.ts";
import { findFunction } from "../engine/definition/find-function.ts";
import { BridgeError } from "../errors.ts";
import type { AuditAction } from "./operator-api.ts";
import type { OperatorDeps } from "./operator-deps.ts";

const JOB_ID = /^\d{1,20}$/;

/**
 * Bulk replay, retry and cancel: `preview` counts what a request selects (the dry run the page
 * shows before asking to confirm); posting it starts a background job on the operator queue,
 * run by a worker, whose progress `GET /api/bulk/:id` reports. Starting one is audited.
 */
export function mountBulkRoutes(router: Router, deps: OperatorDeps, audit: AuditAction): void {
  const { bulk } = deps.console;
  const parse = async (body: unknown): Promise<BulkRequest> => {
    const request = parseBulkRequest(body, Date.now());
    if (request.kind === "replay") return request;
    // A bare function id (`user-sync`) is accepted where it is unique, as on the runs page.
    const fn = findFunction(await deps.sources.listFunctions(), request.functionId);
    if (!fn) throw new BridgeError("not_found", `no function ${request.functionId}`);
    return { ...request, functionId: fn.id };
  };
  router.post("/api/bulk/preview", async (req, res) => {
    const request = await parse(req.body);
    res.json({ ...(await bulk.preview(request)), description: describeBulkRequest(request), request });
  });
  router.post("/api/bulk", async (req, res) => {
    const request = await parse(req.body);
    const description = describeBulkRequest(request);
    const id = await bulk.start({ request, actor: String(res.locals.operator), description });
    await audit(req, res, { action: `bulk-${request.kind}`, target: `bulk:${id}`, details: { description } });
    res.status(202).json({ id, description });
  });
  router.get("/api/bulk", async (_req, res) => {
    res.json({ jobs: await bulk.list(20) });
  });
  router.get("/api/bulk/:id", async (req, res) => {
    const id = String(req.params.id);
    const job = JOB_ID.test(id) ? await bulk.get(id) : undefined;
    if (!job) throw new BridgeError("not_found", `no bulk action ${id.slice(0, 64)}`);
    res.json({ job });
  });
}
