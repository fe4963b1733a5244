import { bridgeUrl, UsageError } from "./cli-io.js";
async function callBridge(io, path, init = {}) {
  const base = init.bridge?.url ?? bridgeUrl(io.env);
  const token = init.bridge ? init.bridge.token : io.env.ADMIN_TOKEN;
  const url = `${base}${path}`;
  const headers = { accept: "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  if (init.body !== void 0) headers["content-type"] = "application/json";
  let response;
  try {
    response = await io.fetch(url, {
      method: init.method ?? "GET",
      headers,
      body: init.body === void 0 ? void 0 : JSON.stringify(init.body)
    });
  } catch (error) {
    const cause = error.cause?.code ?? error.message;
    throw new UsageError(`cannot reach the bridge at ${base} (${cause}); is it running?${init.bridge ? "" : " set BRIDGE_URL otherwise"}`);
  }
  const text = await response.text();
  let body;
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    body = { error: { code: "not_json", message: text.slice(0, 200) } };
  }
  if (!response.ok) {
    const hint = response.status === 401 && path.startsWith("/api") && !token ? ` (set ${init.bridge?.tokenVariable ?? "ADMIN_TOKEN"})` : "";
    throw new UsageError(`${response.status} ${body?.error?.code ?? ""}: ${body?.error?.message ?? text}${hint}`.replace(/ :/, ":"));
  }
  return body;
}
export {
  callBridge
};
