import { loadConfig } from "../../src/config/load-config.ts";
import { createOutboundFetch } from "../../src/outbound/outbound-fetch.ts";

/**
 * The tests' receivers listen on 127.0.0.1, which outgoing requests (step.fetch, destinations)
 * may not reach by default: a test that posts to one opts in as an operator would, by
 * configuration, for that one address only.
 */
export const LOCAL_RECEIVERS: Readonly<Record<string, string>> = Object.freeze({ FETCH_ALLOW_PRIVATE: "127.0.0.1" });

/** The outgoing fetch of a bridge configured with `env` (close it when done). */
export function outboundFetchFor(env: Record<string, string>) {
  return createOutboundFetch(loadConfig(env).outboundPolicy);
}
