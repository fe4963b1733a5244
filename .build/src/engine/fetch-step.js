import { NonRetriableError } from "./non-retriable-error.js";
const NULL_BODY = /* @__PURE__ */ new Set([101, 103, 204, 205, 304]);
function fetchStep(step, input, init) {
  const href = input instanceof Request ? input.url : String(input);
  let url;
  try {
    url = new URL(href);
  } catch {
    throw new NonRetriableError(`step.fetch: ${JSON.stringify(href)} is not an absolute URL`);
  }
  const method = init?.method ?? (input instanceof Request ? input.method : "GET");
  const execute = async () => {
    const response = await fetch(input, init);
    const headers = {};
    response.headers.forEach((value, name) => headers[name] = value);
    return { status: response.status, headers, body: await response.text() };
  };
  return step(`step.fetch: ${url.hostname}`, { op: "fetch" }, { execute, fields: { input: [{ method, url: url.href }] } }).then(toResponse);
}
function toResponse(stored) {
  return new Response(NULL_BODY.has(stored.status) ? null : stored.body, { status: stored.status, headers: stored.headers });
}
export {
  fetchStep
};
