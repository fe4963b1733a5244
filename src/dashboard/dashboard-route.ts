import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import express, { Router, type RequestHandler } from "express";
import type { AdminAuth } from "./admin-auth.ts";
import { renderLoginPage, renderLoopbackOnlyPage } from "./login-page.ts";

/** The dashboard's files: plain HTML, CSS and ES modules, served as they are (no build step). */
export const PUBLIC_DIR = join(dirname(fileURLToPath(import.meta.url)), "public");

/**
 * GET / serves the dashboard: without ADMIN_TOKEN only to loopback clients (403 otherwise, with a
 * page saying to set it). With ADMIN_TOKEN set a browser signs in once with a form POST and
 * gets a session cookie. The token never travels in a URL, where request logs, proxies and the
 * browser's history would keep it. The static assets hold no data, so they are served to anyone
 * (the sign-in page needs its stylesheet).
 */
export function dashboardRoute(auth: AdminAuth): Router {
  const router = Router();
  router.use("/assets", pageHeaders, express.static(PUBLIC_DIR, { index: false, maxAge: "5m" }));

  router.get("/", pageHeaders, (req, res) => {
    if (!auth.isAuthorized(req)) {
      if (!auth.enabled) return void res.status(403).type("html").send(renderLoopbackOnlyPage());
      return void res.status(401).type("html").send(renderLoginPage());
    }
    res.setHeader("cache-control", "no-cache");
    // Relative to a root, so a checkout under a dot-folder (~/.local/...) is not refused as a dotfile.
    res.sendFile("index.html", { root: PUBLIC_DIR });
  });

  router.post("/login", pageHeaders, express.urlencoded({ extended: false, limit: "4kb" }), (req, res) => {
    const token = String((req.body as { token?: unknown } | undefined)?.token ?? "");
    if (!auth.enabled) return void res.redirect(303, "/");
    if (!auth.matches(token)) return void res.status(401).type("html").send(renderLoginPage("That token is not the ADMIN_TOKEN."));
    res.setHeader("set-cookie", auth.sessionCookie(req.secure));
    res.redirect(303, "/");
  });

  router.post("/logout", (_req, res) => {
    res.setHeader("set-cookie", `bridge_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`);
    res.redirect(303, "/");
  });
  return router;
}

/**
 * Everything comes from the bridge itself, so the policy can be strict: no third-party script can
 * run, and no other site can frame the page to trick a click on Replay or Cancel.
 */
const pageHeaders: RequestHandler = (_req, res, next) => {
  res.setHeader(
    "content-security-policy",
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
  );
  res.setHeader("x-content-type-options", "nosniff");
  res.setHeader("referrer-policy", "no-referrer");
  next();
};
