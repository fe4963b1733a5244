import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import express, { Router } from "express";
import { BridgeError, isBridgeError } from "../errors.js";
import { clientAddress } from "../http/client-address.js";
import { sentFromSameOrigin } from "../http/same-origin.js";
import { renderLoginPage, renderLoopbackOnlyPage } from "./login-page.js";
const PUBLIC_DIR = join(dirname(fileURLToPath(import.meta.url)), "public");
function dashboardRoute(deps) {
  const { auth } = deps;
  const router = Router();
  const audit = (req, entry) => deps.audit.record({ ...entry, address: clientAddress(req) }).catch(deps.onAuditError);
  router.use("/assets", pageHeaders, express.static(PUBLIC_DIR, { index: false, maxAge: "5m" }));
  router.get("/", pageHeaders, async (req, res) => {
    if (await auth.identify(req) === void 0) {
      if (!auth.enabled) return void res.status(403).type("html").send(renderLoopbackOnlyPage());
      return void res.status(401).type("html").send(renderLoginPage());
    }
    res.setHeader("cache-control", "no-cache");
    res.sendFile("index.html", { root: PUBLIC_DIR });
  });
  router.post("/login", pageHeaders, express.urlencoded({ extended: false, limit: "4kb" }), async (req, res) => {
    if (!auth.enabled) return void res.redirect(303, "/");
    if (sentFromSameOrigin(req) === false) return void loginProblem(res, new BridgeError("cross_site_request", "sign in from the bridge's own page"));
    const token = String(req.body?.token ?? "");
    try {
      const { cookie, operator } = await auth.signIn(req, token);
      res.setHeader("set-cookie", cookie);
      await audit(req, { actor: operator, action: "sign-in" });
      res.redirect(303, "/");
    } catch (error) {
      if (!isBridgeError(error) || error.status >= 500) throw error;
      loginProblem(res, error);
    }
  });
  router.post("/logout", pageHeaders, async (req, res) => {
    if (sentFromSameOrigin(req) !== true) throw new BridgeError("cross_site_request", "sign out from the dashboard's own page");
    const { cookie, operator } = await auth.signOut(req);
    res.setHeader("set-cookie", cookie);
    if (operator) await audit(req, { actor: operator, action: "sign-out" });
    res.redirect(303, "/");
  });
  return router;
}
function loginProblem(res, error) {
  const message = error.code === "too_many_requests" ? `Too many wrong tokens from this address: try again in ${error.retryAfterSeconds ?? 60} seconds.` : error.code === "unauthorized" ? "That token is not the ADMIN_TOKEN." : error.message;
  if (error.retryAfterSeconds !== void 0) res.setHeader("retry-after", String(error.retryAfterSeconds));
  res.status(error.status).type("html").send(renderLoginPage(message));
}
const pageHeaders = (_req, res, next) => {
  res.setHeader(
    "content-security-policy",
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
  );
  res.setHeader("x-content-type-options", "nosniff");
  res.setHeader("referrer-policy", "same-origin");
  next();
};
export {
  PUBLIC_DIR,
  dashboardRoute
};
