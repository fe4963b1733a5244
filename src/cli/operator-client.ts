import { bridgeUrl, UsageError, type CliIo } from "./cli-io.ts";

/**
 * Calls a running bridge over HTTP: the operator API with ADMIN_TOKEN as a Bearer token, or the
 * Event API. Error bodies (`{ error: { code, message } }`) become one readable line.
 */
export async function callBridge(io: CliIo, path: string, init: { method?: string; body?: unknown } = {}): Promise<any> {
  const url = `${bridgeUrl(io.env)}${path}`;
  const headers: Record<string, string> = { accept: "application/json" };
  if (io.env.ADMIN_TOKEN) headers.authorization = `Bearer ${io.env.ADMIN_TOKEN}`;
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
    throw new UsageError(`cannot reach the bridge at ${bridgeUrl(io.env)} (${cause}); is it running? set BRIDGE_URL otherwise`);
  }
  const text = await response.text();
  let body: any;
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    body = { error: { code: "not_json", message: text.slice(0, 200) } };
  }
  if (!response.ok) {
    const hint = response.status === 401 && path.startsWith("/api") && !io.env.ADMIN_TOKEN ? " (set ADMIN_TOKEN)" : "";
    throw new UsageError(`${response.status} ${body?.error?.code ?? ""}: ${body?.error?.message ?? text}${hint}`.replace(/ :/, ":"));
  }
  return body;
}
