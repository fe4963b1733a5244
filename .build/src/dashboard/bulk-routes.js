import { describeBulkRequest, parseBulkRequest } from "../bulk/bulk-request.js";
import { findFunction } from "../engine/find-function.js";
import { BridgeError } from "../errors.js";
const JOB_ID = /^\d{1,20}$/;
function mountBulkRoutes(router, deps, audit) {
  const { bulk } = deps.console;
  const parse = async (body) => {
    const request = parseBulkRequest(body, Date.now());
    if (request.kind === "replay") return request;
    const fn = findFunction(await deps.sources.listFunctions(), request.functionId);
    if (!fn) throw new BridgeError("not_found", `no function ${request.functionId}`);
    return { ...request, functionId: fn.id };
  };
  router.post("/api/bulk/preview", async (req, res) => {
    const request = await parse(req.body);
    res.json({ ...await bulk.preview(request), description: describeBulkRequest(request), request });
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
    const job = JOB_ID.test(id) ? await bulk.get(id) : void 0;
    if (!job) throw new BridgeError("not_found", `no bulk action ${id.slice(0, 64)}`);
    res.json({ job });
  });
}
export {
  mountBulkRoutes
};
