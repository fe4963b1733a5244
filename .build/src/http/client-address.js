import ipaddr from "ipaddr.js";
function isLoopback(req) {
  const address = req.socket.remoteAddress ?? "";
  const local = address === "::1" || /^(::ffff:)?127\./.test(address);
  const proxied = req.headers["x-forwarded-for"] !== void 0 || req.headers.forwarded !== void 0 || req.headers["x-real-ip"] !== void 0;
  return local && !proxied && LOOPBACK_HOST.test(req.headers.host ?? "");
}
const LOOPBACK_HOST = /^(?:localhost|[a-z0-9.-]+\.localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d{1,5})?$/i;
function clientAddress(req) {
  const ip = req.ip ?? req.socket.remoteAddress ?? "unknown";
  if (!ipaddr.isValid(ip)) return ip;
  const parsed = ipaddr.process(ip);
  if (parsed.kind() === "ipv4") return parsed.toString();
  const bytes = parsed.toByteArray().slice(0, 8).concat([0, 0, 0, 0, 0, 0, 0, 0]);
  return `${ipaddr.fromByteArray(bytes).toString()}/64`;
}
export {
  clientAddress,
  isLoopback
};
