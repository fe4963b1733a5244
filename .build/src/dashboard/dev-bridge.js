import { BridgeError } from "../errors.js";
const TIMEOUT_MS = 1e4;
function createDevBridge(target, fetchImpl = fetch) {
  const endpoint = `${target.url}/e/${encodeURIComponent(target.eventKey)}`;
  return {
    url: target.url,
    async send(event) {
      const body = { id: event.id, name: event.name, data: event.data, ts: event.ts, ...event.user ? { user: event.user } : {}, ...event.v ? { v: event.v } : {} };
      let response;
      try {
        response = await fetchImpl(endpoint, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), signal: AbortSignal.timeout(TIMEOUT_MS) });
      } catch (error) {
        const { cause } = error;
        const reason = cause?.code ?? cause?.message ?? error.message;
        throw new BridgeError("upstream_failed", `the bridge at ${target.url} did not answer (${reason})`, { cause: error });
      }
      const answer = await response.json().catch(() => ({}));
      if (!response.ok) {
        throw new BridgeError("upstream_failed", `the bridge at ${target.url} answered ${response.status}${answer.error ? ` ${answer.error.code}: ${answer.error.message}` : ""}`);
      }
      return { ids: answer.ids ?? [] };
    }
  };
}
export {
  createDevBridge
};
