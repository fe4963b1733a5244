import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import express, { Router, type Request, type RequestHandler, type Response } from "express";
import { BridgeError, isBridgeError } from "../errors.ts";
import { clientAddress } from "../http/client-address.ts";
import { sentFromSameOrigin } from "../http/same-origin.ts";
import type { AdminAuth } from "./admin-auth.ts";
import type { AuditLog, AuditRecord } from "../audit/audit-log.ts";
import { renderLoginPage, renderLoopbackOnlyPage } from "./login-page.ts";

/** The dashboard's files: plain HTML, CSS and ES modules, served as they are (no build step). */
export const PUBLIC_DIR = join(dirname(fileURLToPath(import.meta.url)), "public");

export interface DashboardDeps {
  auth: AdminAuth;
  audit: AuditLog;
  /** Where a failed audit write is reported (the sign-in itself has happened). */
  onAuditError(error: unknown): void;
}

/**
 * GET / serves the dashboard: without ADMIN_TOKEN only to loopback clients (403 otherwise, with a
 * page saying to set it). With ADMIN_TOKEN set a browser signs in once with a form POST and
 * gets a session cookie. The token never travels in a URL, where request logs, proxies and the
 * browser's history would keep it. The static assets hold no data, so they are served to anyone
 * (the sign-in page needs its stylesheet).
 */
export function dashboardRoute(deps: DashboardDeps): Router {
  const { auth } = deps;
  const router = Router();
  const audit = (req: Request, entry: Omit<AuditRecord, "address">) =>
    deps.audit.record({ ...entry, address: clientAddress(req) }).catch(deps.onAuditError);
  router.use("/assets", pageHeaders, express.static(PUBLIC_DIR, { index: false, maxAge: "5m" }));

  router.get("/", pageHeaders, async (req, res) => {
    if ((await auth.identify(req)) === undefined) {
      if (!auth.enabled) return void res.status(403).type("html").send(renderLoopbackOnlyPage());
      return void res.status(401).type("html").send(renderLoginPage());
    }
    res.setHeader("cache-control", "no-cache");
    // Relative to a root, so a checkout under a dot-folder (~/.local/...) is not refused as a dotfile.
    res.sendFile("index.html", { root: PUBLIC_DIR });
  });

  // A form from another site is refused; one without Origin or Sec-Fetch-Site is not a browser's.
  router.post("/login", pageHeaders, express.urlencoded({ extended: false, limit: "4kb" }), async (req, res) => {
    if (!auth.enabled) return void res.redirect(303, "/");
    if (sentFromSameOrigin(req) === false)
      return void loginProblem(res, new BridgeError("cross_site_request", "sign in from the bridge's own page"));
    const token = String((req.body as { token?: unknown } | undefined)?.token ?? "");
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

  // Sign-out must come from the dashboard itself: another site must not be able to end a session.
  router.post("/logout", pageHeaders, async (req, res) => {
    if (sentFromSameOrigin(req) !== true)
      throw new BridgeError("cross_site_request", "sign out from the dashboard's own page");
    const { cookie, operator } = await auth.signOut(req);
    res.setHeader("set-cookie", cookie);
    if (operator) await audit(req, { actor: operator, action: "sign-out" });
    res.redirect(303, "/");
  });
  return router;
}

/** The sign-in page again, saying what went wrong, with the error's status (401, 403, 429). */
function loginProblem(res: Response, error: BridgeError): void {
  const message =
    error.code === "too_many_requests"
      ? `Too many wrong tokens from this address: try again in ${error.retryAfterSeconds ?? 60} seconds.`
      : error.code === "unauthorized"
        ? "That token is not the ADMIN_TOKEN."
        : error.message;
  if (error.retryAfterSeconds !== undefined) res.setHeader("retry-after", String(error.retryAfterSeconds));
  res.status(error.status).type("html").send(renderLoginPage(message));
}

/**
 * Everything comes from the bridge itself, so the policy can be strict: no third-party script can
 * run, and no other site can frame the page to trick a click on Replay or Cancel. The referrer
 * policy is same-origin rather than no-referrer: under no-referrer the browser sends
 * `Origin: null` with the dashboard's own POSTs, and /logout checks that Origin.
 */
const pageHeaders: RequestHandler = (_req, res, next) => {
  res.setHeader(
    "content-security-policy",
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
  );
  res.setHeader("x-content-type-options", "nosniff");
  res.setHeader("referrer-policy", "same-origin");
  next();
};
