import { createHash } from "node:crypto";
function idempotencyKey(eventId, destination) {
  return createHash("sha256").update(`${eventId}
${destination}`).digest("hex").slice(0, 32);
}
function prepareRequest(request, key) {
  if (typeof request !== "object" || request === null) throw new TypeError(`request() must return { url, method?, headers?, body? } or null, got ${JSON.stringify(request)}`);
  let url;
  try {
    url = new URL(String(request.url));
  } catch {
    throw new TypeError("request().url must be an absolute URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new TypeError(`request().url must be http: or https:, not ${url.protocol}`);
  const method = (request.method ?? "POST").toUpperCase();
  const headers = new Headers({ "user-agent": "clerk-webhook-bridge" });
  const body = request.body === void 0 ? void 0 : typeof request.body === "string" ? request.body : JSON.stringify(request.body);
  if (body !== void 0 && typeof request.body !== "string") headers.set("content-type", "application/json");
  if (body !== void 0 && (method === "GET" || method === "HEAD")) throw new TypeError(`request(): a ${method} request cannot have a body`);
  for (const [name, value] of Object.entries(request.headers ?? {})) headers.set(name, String(value));
  headers.set("idempotency-key", key);
  return { url, method, headers, ...body === void 0 ? {} : { body }, idempotencyKey: key };
}
export {
  idempotencyKey,
  prepareRequest
};
