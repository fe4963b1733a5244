import { z } from "zod";
import { BridgeError, toError } from "../errors.js";
import { formatIssues, incomingEventSchema } from "../events/event-schema.js";
import { withTimeout } from "../util/with-timeout.js";
// Validated one event at a time (not as a union) so the error names the field that is wrong.
const outputSchema = z.array(incomingEventSchema);
/**
 * Runs a template and validates what it returned. Pure apart from the template itself: a template
 * that throws, times out or returns something that is not an event becomes one 422 error, and
 * nothing is stored. Events without an id get one derived from the webhook id, so a redelivery
 * yields the same ids and dedupes.
 */
export async function applyTransform(transform, payload, context, timeoutMs) {
    let output;
    try {
        const result = transform(payload, context);
        // Only an async template can be timed out without a worker thread; sync ones run to the end.
        output = result instanceof Promise ? await withTimeout(result, timeoutMs, "the template did not finish") : result;
    }
    catch (thrown) {
        throw new BridgeError("transform_failed", `transform "${context.source}" failed: ${toError(thrown).message}`, {
            cause: thrown,
        });
    }
    if (output == null)
        return [];
    const parsed = outputSchema.safeParse(Array.isArray(output) ? output : [output]);
    if (!parsed.success) {
        throw new BridgeError("transform_failed", `transform "${context.source}" returned an invalid event: ${formatIssues(parsed.error)}`);
    }
    const events = parsed.data;
    return events.map((event, index) => ({
        ...event,
        id: event.id ?? (events.length === 1 ? context.webhookId : `${context.webhookId}-${index}`),
    }));
}
