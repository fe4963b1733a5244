import { BridgeError } from "../errors.ts";
import { toEventApiPayload, type BridgeEvent } from "../events/event-schema.ts";

/** How long the other bridge gets to answer. */
const TIMEOUT_MS = 10_000;

export interface DevBridge {
  /** DEV_BRIDGE_URL, shown on the event page (the key never is). */
  url: string;
  send(event: BridgeEvent): Promise<{ ids: string[] }>;
}

/**
 * "Send to another bridge": Clerk's Inngest guide has developers pick a production event and
 * send it to their dev server; this posts it to another bridge's Event API (DEV_BRIDGE_URL,
 * DEV_BRIDGE_EVENT_KEY) with the same id, so sending it twice stores it once there. A `clerk/*`
 * event is accepted there only from a key in its TRUSTED_EVENT_KEYS (or, while it has no
 * EVENT_KEYS, from its own machine): the receiving bridge guards its reserved names.
 */
export function createDevBridge(target: { url: string; eventKey: string }, fetchImpl: typeof fetch = fetch): DevBridge {
  const endpoint = `${target.url}/e/${encodeURIComponent(target.eventKey)}`;
  return {
    url: target.url,
    async send(event) {
      const body = toEventApiPayload(event);
      let response: Response;
      try {
        response = await fetchImpl(endpoint, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
      } catch (error) {
        const { cause } = error as { cause?: { code?: string; message?: string } };
        const reason = cause?.code ?? cause?.message ?? (error as Error).message;
        throw new BridgeError("upstream_failed", `the bridge at ${target.url} did not answer (${reason})`, {
          cause: error,
        });
      }
      const answer = (await response.json().catch(() => ({}))) as {
        ids?: string[];
        error?: { code?: string; message?: string };
      };
      if (!response.ok) {
        throw new BridgeError(
          "upstream_failed",
          `the bridge at ${target.url} answered ${response.status}${answer.error ? ` ${answer.error.code}: ${answer.error.message}` : ""}`,
        );
      }
      return { ids: answer.ids ?? [] };
    },
  };
}
