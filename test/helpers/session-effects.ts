import type { SessionEffects } from "../../src/engine/execution/run-session.ts";

/**
 * A run session's effects that store nothing and start nothing: every wait stays waiting, every
 * time-out wins. A test overrides the ones it watches.
 */
export function quietEffects(overrides: Partial<SessionEffects> = {}): SessionEffects {
  return {
    saveStep: async () => {},
    beginWait: async () => {},
    beginInvoke: async () => ({ kind: "waiting" }),
    beginSignalWait: async () => ({ kind: "waiting" }),
    sendSignal: async () => ({ runId: undefined }),
    timeOutWait: async () => true,
    sendEvents: async () => [],
    fetch: () => Promise.reject(new Error("no network in a unit test")),
    ...overrides,
  };
}
