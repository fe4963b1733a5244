import ipaddr from "ipaddr.js";
import type { Request } from "express";

/**
 * A client on this machine, by the socket's own address (never X-Forwarded-For, which anyone can
 * send, whatever TRUST_PROXY says). A request that went through a proxy is not local even when
 * the proxy is: a reverse proxy on the same host would otherwise open loopback-only routes to
 * everyone behind it. The Host must be a loopback name too: a web page the operator visits could
 * otherwise point its own host name at 127.0.0.1 (DNS rebinding) and use the loopback-only
 * dashboard and API from the operator's browser as if it were local.
 */
export function isLoopback(req: Request): boolean {
  return refusedAsLocal(req) === undefined && isLocalSocket(req);
}

/**
 * Why a request from this machine's own socket is still not served as local (a proxy, or a host
 * name that is not a loopback name), said so a person on this machine knows what to change;
 * undefined when it is served, or when the client is elsewhere (nothing to explain to it).
 */
export function refusedAsLocal(req: Request): string | undefined {
  if (!isLocalSocket(req)) return undefined;
  if (
    req.headers["x-forwarded-for"] !== undefined ||
    req.headers.forwarded !== undefined ||
    req.headers["x-real-ip"] !== undefined
  ) {
    return "this request came through a proxy, and a proxy's clients are not this machine";
  }
  const host = req.headers.host ?? "";
  if (LOOPBACK_HOST.test(host)) return undefined;
  return `this request came from this machine but named the bridge "${host.slice(0, 100)}", and only localhost, 127.0.0.1, [::1] or 0.0.0.0 are taken for this machine (a web page could point a name of its own at 127.0.0.1): open it as http://localhost${portOf(host)}/`;
}

function isLocalSocket(req: Request): boolean {
  const address = req.socket.remoteAddress ?? "";
  return address === "::1" || /^(::ffff:)?127\./.test(address);
}

const portOf = (host: string) => /:\d{1,5}$/.exec(host)?.[0] ?? "";

/**
 * localhost, *.localhost, 127.x.x.x or [::1], with or without a port; and 0.0.0.0 or [::], the
 * address the bridge listens on by default, which browsers and curl connect to on this machine
 * (issue 20: http://0.0.0.0:8288/ was told "only on this machine" from this machine). No other
 * site can own these names, so they open no way to DNS rebinding.
 */
const LOOPBACK_HOST = /^(?:localhost|[a-z0-9.-]+\.localhost|127(?:\.\d{1,3}){3}|0\.0\.0\.0|\[::1?\])(?::\d{1,5})?$/i;

/**
 * The address a client is counted under by the rate limiters: `req.ip` (the socket's peer, or
 * with TRUST_PROXY the client the trusted proxies name), with an IPv6 address widened to its /64,
 * since one host usually holds a whole /64 and could otherwise try from a fresh address each time.
 */
export function clientAddress(req: Request): string {
  const ip = req.ip ?? req.socket.remoteAddress ?? "unknown";
  if (!ipaddr.isValid(ip)) return ip;
  const parsed = ipaddr.process(ip); // an IPv4-mapped IPv6 address becomes the IPv4 address
  if (parsed.kind() === "ipv4") return parsed.toString();
  const bytes = parsed.toByteArray().slice(0, 8).concat([0, 0, 0, 0, 0, 0, 0, 0]);
  return `${ipaddr.fromByteArray(bytes).toString()}/64`;
}
