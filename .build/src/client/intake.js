import { sendSignal } from "../engine/signals.js";
import { acceptEvents } from "../events/accept-events.js";
import { MAX_EVENTS_PER_SEND, parseIncomingEvents } from "../events/event-schema.js";
import { BridgeError } from "../errors.js";
let intake;
let signals;
function bindIntake(accept, signalDeps) {
  intake = accept;
  signals = signalDeps;
  return () => {
    if (intake !== accept) return;
    intake = void 0;
    signals = void 0;
  };
}
function sendSignalFromProcess(options) {
  if (!signals) throw new Error("inngest.sendSignal() was called before the bridge started");
  return sendSignal(signals, options);
}
async function sendToIntake(payloads) {
  if (!intake) throw new Error("inngest.send() was called before the bridge started: events are sent through the bridge's intake, which is bound once Redis is connected");
  for (const payload of payloads) {
    const validate = payload?.validate;
    if (typeof validate === "function") await validate.call(payload);
  }
  const { events, error } = parseIncomingEvents(payloads, MAX_EVENTS_PER_SEND);
  if (!events) throw new BridgeError("event_invalid", `inngest.send(): ${error ?? "invalid event"}`);
  return acceptEvents(intake, events, "api");
}
export {
  bindIntake,
  sendSignalFromProcess,
  sendToIntake
};
