import ipaddr from "ipaddr.js";
/**
 * A client on this machine, by the socket's own address (never X-Forwarded-For, which anyone can
 * send, whatever TRUST_PROXY says). A request that went through a proxy is not local even when
 * the proxy is: a reverse proxy on the same host would otherwise open loopback-only routes to
 * everyone behind it. The Host must be a loopback name too: a web page the operator visits could
 * otherwise point its own host name at 127.0.0.1 (DNS rebinding) and use the loopback-only
 * dashboard and API from the operator's browser as if it were local.
 */
export function isLoopback(req) {
    const address = req.socket.remoteAddress ?? "";
    const local = address === "::1" || /^(::ffff:)?127\./.test(address);
    const proxied = req.headers["x-forwarded-for"] !== undefined || req.headers.forwarded !== undefined || req.headers["x-real-ip"] !== undefined;
    return local && !proxied && LOOPBACK_HOST.test(req.headers.host ?? "");
}
/** localhost, *.localhost, 127.x.x.x or [::1], with or without a port. */
const LOOPBACK_HOST = /^(?:localhost|[a-z0-9.-]+\.localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d{1,5})?$/i;
/**
 * The address a client is counted under by the rate limiters: `req.ip` (the socket's peer, or
 * with TRUST_PROXY the client the trusted proxies name), with an IPv6 address widened to its /64,
 * since one host usually holds a whole /64 and could otherwise try from a fresh address each time.
 */
export function clientAddress(req) {
    const ip = req.ip ?? req.socket.remoteAddress ?? "unknown";
    if (!ipaddr.isValid(ip))
        return ip;
    const parsed = ipaddr.process(ip); // an IPv4-mapped IPv6 address becomes the IPv4 address
    if (parsed.kind() === "ipv4")
        return parsed.toString();
    const bytes = parsed.toByteArray().slice(0, 8).concat([0, 0, 0, 0, 0, 0, 0, 0]);
    return `${ipaddr.fromByteArray(bytes).toString()}/64`;
}
