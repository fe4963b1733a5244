import { digest } from "../redis/keys.js";
/**
 * A run is identified by (function id, event id): the same event never starts the same function
 * twice. The digest keeps the id short and free of ":" (which BullMQ job ids must not contain).
 */
export function runIdFor(functionId, eventId) {
    return `r-${digest(`${functionId}\n${eventId}`)}`;
}
