import type { Request, Router } from "express";
import { findFunction } from "../engine/definition/find-function.ts";
import { BridgeError } from "../errors.ts";
import type { AuditAction } from "./operator-api.ts";
import type { OperatorDeps } from "./operator-deps.ts";

/** Per-function statistics and pauses, and the queues' depths. */
export function mountFunctionRoutes(router: Router, deps: OperatorDeps, audit: AuditAction): void {
  const { functions } = deps.console;
  router.get("/api/functions/stats", async (_req, res) => {
    res.json({ functions: await functions.stats() });
  });
  router.get("/api/queues", async (_req, res) => {
    res.json({ queues: await functions.queues() });
  });
  router.post("/api/functions/:id/pause", async (req, res) => {
    const id = await functionIdOf(deps, req);
    await functions.pause(id);
    await audit(req, res, { action: "pause", target: id });
    res.json({ id, paused: true });
  });
  router.post("/api/functions/:id/resume", async (req, res) => {
    const id = await functionIdOf(deps, req);
    const resumed = await functions.resume(id);
    await audit(req, res, { action: "resume", target: id, details: { resumed } });
    res.json({ id, paused: false, resumed });
  });
}

/** Only a registered function can be paused: a typo must not pause nothing and say it did. */
async function functionIdOf(deps: OperatorDeps, req: Request): Promise<string> {
  const name = String(req.params.id);
  const fn = findFunction(await deps.sources.listFunctions(), name);
  if (!fn) throw new BridgeError("not_found", `no function ${name.slice(0, 128)}`);
  return fn.id;
}
