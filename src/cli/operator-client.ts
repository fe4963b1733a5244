import { bridgeUrl, UsageError, type CliIo } from "./cli-io.ts";

/**
 * Calls a running bridge over HTTP: the operator API with ADMIN_TOKEN as a Bearer token, or the
 * Event API. Error bodies (`{ error: { code, message } }`) become one readable line. `bridge`
 * names another bridge than BRIDGE_URL, with its own token and the variable to name in a hint.
 */
export async function callBridge<T = unknown>(
  io: CliIo,
  path: string,
  init: { method?: string; body?: unknown; bridge?: { url: string; token?: string; tokenVariable: string } } = {},
): Promise<T> {
  const base = init.bridge?.url ?? bridgeUrl(io.env);
  const token = init.bridge ? init.bridge.token : io.env.ADMIN_TOKEN;
  const url = `${base}${path}`;
  const headers: Record<string, string> = { accept: "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  if (init.body !== undefined) headers["content-type"] = "application/json";
  let response: Response;
  try {
    response = await io.fetch(url, {
      method: init.method ?? "GET",
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    throw new UsageError(
      `cannot reach the bridge at ${base} (${cause}); is it running?${init.bridge ? "" : " set BRIDGE_URL otherwise"}`,
    );
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    body = { error: { code: "not_json", message: text.slice(0, 200) } };
  }
  if (!response.ok) {
    const hint =
      response.status === 401 && path.startsWith("/api") && !token
        ? ` (set ${init.bridge?.tokenVariable ?? "ADMIN_TOKEN"})`
        : "";
    const error = errorOf(body);
    throw new UsageError(`${response.status} ${error.code ?? ""}: ${error.message ?? text}${hint}`.replace(/ :/, ":"));
  }
  // The bridge's own answer to this path: the caller names its shape.
  return body as T;
}

/** The `error` of an error body (`{ error: { code, message } }`), or nothing when it has none. */
function errorOf(body: unknown): { code?: unknown; message?: unknown } {
  if (typeof body !== "object" || body === null || !("error" in body)) return {};
  return typeof body.error === "object" && body.error !== null ? body.error : {};
}
