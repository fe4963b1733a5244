import { Webhook } from "svix";
import { NonRetriableError, RetryAfterError } from "../engine/index.js";
import { judgeAnswer } from "./judge-answer.js";
const BODY_EXCERPT_BYTES = 2048;
const KEPT_HEADER = /^(content-type|retry-after|location)$|request-id|req-id/;
async function sendRequest(destination, request, now = /* @__PURE__ */ new Date()) {
  const base = { destination: destination.name, method: request.method, host: request.url.host, idempotencyKey: request.idempotencyKey };
  const headers = new Headers(request.headers);
  if (destination.signingSecret !== void 0) sign(headers, destination.signingSecret, request, now);
  const signal = AbortSignal.timeout(destination.timeoutMs);
  let answer;
  try {
    const response = await fetch(request.url, { method: request.method, headers, body: request.body, signal, redirect: "manual" });
    answer = { ...base, status: response.status, headers: keptHeaders(response.headers), ...await readExcerpt(response) };
  } catch (error) {
    const reason = describeFailure(error, destination.timeoutMs);
    throw new Error(`${destination.name}: ${reason}`, { cause: { ...base, error: reason } });
  }
  const status = answer.status;
  const verdict = judgeAnswer(status, answer.headers?.["retry-after"] ?? null, destination.accept);
  const message = `${destination.name}: HTTP ${status}${answer.body ? `: ${answer.body.slice(0, 300)}` : ""}`;
  switch (verdict.kind) {
    case "delivered":
      return answer;
    case "refused":
      throw new NonRetriableError(message, { cause: answer });
    case "retry-after":
      throw new RetryAfterError(message, verdict.after, { cause: answer });
    case "retry":
      throw new Error(message, { cause: answer });
  }
}
function sign(headers, secret, request, now) {
  headers.set("webhook-id", request.idempotencyKey);
  headers.set("webhook-timestamp", String(Math.floor(now.getTime() / 1e3)));
  headers.set("webhook-signature", new Webhook(secret).sign(request.idempotencyKey, now, request.body ?? ""));
}
async function readExcerpt(response) {
  if (!response.body) return {};
  const reader = response.body.getReader();
  const chunks = [];
  let size = 0;
  let truncated = false;
  for (; ; ) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size > BODY_EXCERPT_BYTES) {
      truncated = true;
      await reader.cancel();
      break;
    }
  }
  const bytes = Buffer.concat(chunks).subarray(0, BODY_EXCERPT_BYTES);
  return { body: new TextDecoder().decode(bytes), ...truncated ? { truncated: true } : {} };
}
function keptHeaders(headers) {
  const kept = {};
  headers.forEach((value, name) => {
    if (KEPT_HEADER.test(name)) kept[name] = value;
  });
  return kept;
}
function describeFailure(error, timeoutMs) {
  const thrown = error;
  if (thrown?.name === "TimeoutError") return `no answer within ${timeoutMs} ms (timeout)`;
  const cause = thrown?.cause;
  return cause?.code ? `${thrown.message} (${cause.code})` : cause?.message ?? thrown?.message ?? String(error);
}
export {
  BODY_EXCERPT_BYTES,
  sendRequest
};
