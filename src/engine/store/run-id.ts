import { digest } from "../../redis/keys.ts";

/**
 * A run is identified by (function id, event id): the same event never starts the same function
 * twice. The digest keeps the id short and free of ":" (which BullMQ job ids must not contain).
 */
export function runIdFor(functionId: string, eventId: string): string {
  return `r-${digest(`${functionId}\n${eventId}`)}`;
}
