import { sendSignal, type SignalDeps } from "../engine/execution/signals.ts";
import { acceptEvents, type AcceptDeps } from "../events/accept-events.ts";
import { MAX_EVENTS_PER_SEND, parseIncomingEvents } from "../events/event-schema.ts";
import { BridgeError } from "../errors.ts";
import { fieldsOf } from "../util/json-object.ts";

/**
 * Where `inngest.send()` delivers, for every client in the process: the intake the composition
 * root bound at start (src/app/start-bridge.ts; the test harness does the same). A client is made
 * at import time, long before Redis is connected, so it cannot be handed the intake itself.
 */
let intake: AcceptDeps | undefined;
let signals: SignalDeps | undefined;

/**
 * Binds the process's intake (and, for `inngest.sendSignal()`, the run store the signals live
 * in); answers the unbinding (a no-op once another intake is bound).
 */
export function bindIntake(accept: AcceptDeps, signalDeps?: SignalDeps): () => void {
  intake = accept;
  signals = signalDeps;
  return () => {
    if (intake !== accept) return;
    intake = undefined;
    signals = undefined;
  };
}

/** `inngest.sendSignal()`: resumes the run waiting for this signal, as `step.sendSignal` does. */
export function sendSignalFromProcess(options: {
  signal: string;
  data?: unknown;
}): Promise<{ runId: string | undefined }> {
  if (!signals) throw new Error("inngest.sendSignal() was called before the bridge started");
  return sendSignal(signals, options);
}

/**
 * Sends events the way `POST /e/:key` accepts them: the same validation (the error names the
 * field), the same dedupe by event id, the same queue. Events made by `eventType(...).create()`
 * are validated against their schema first, as Inngest v4's send() does.
 */
export async function sendToIntake(payloads: readonly unknown[]): Promise<string[]> {
  if (!intake)
    throw new Error(
      "inngest.send() was called before the bridge started: events are sent through the bridge's intake, which is bound once Redis is connected",
    );
  for (const payload of payloads) {
    const validate = fieldsOf(payload).validate;
    if (typeof validate === "function") await validate.call(payload);
  }
  const { events, error } = parseIncomingEvents(payloads, MAX_EVENTS_PER_SEND);
  if (!events) throw new BridgeError("event_invalid", `inngest.send(): ${error ?? "invalid event"}`);
  return acceptEvents(intake, events, "api");
}
