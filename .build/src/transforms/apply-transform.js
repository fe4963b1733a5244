import { z } from "zod";
import { BridgeError, toError } from "../errors.js";
import { formatIssues, incomingEventSchema } from "../events/event-schema.js";
import { withTimeout } from "../util/with-timeout.js";
const outputSchema = z.array(incomingEventSchema);
async function applyTransform(transform, payload, context, timeoutMs) {
  let output;
  try {
    const result = transform(payload, context);
    output = result instanceof Promise ? await withTimeout(result, timeoutMs, "the template did not finish") : result;
  } catch (thrown) {
    throw new BridgeError("transform_failed", `transform "${context.source}" failed: ${toError(thrown).message}`, {
      cause: thrown
    });
  }
  if (output == null) return [];
  const parsed = outputSchema.safeParse(Array.isArray(output) ? output : [output]);
  if (!parsed.success) {
    throw new BridgeError(
      "transform_failed",
      `transform "${context.source}" returned an invalid event: ${formatIssues(parsed.error)}`
    );
  }
  const events = parsed.data;
  return events.map((event, index) => ({
    ...event,
    id: event.id ?? (events.length === 1 ? context.webhookId : `${context.webhookId}-${index}`)
  }));
}
export {
  applyTransform
};
