import { createHash } from "node:crypto";
import { keyPrefix } from "../queue/queue-names.ts";

/**
 * Every Redis key the engine owns, in one place. All share the `{prefix}` hash tag with BullMQ's
 * queues, so scripts touching run state and queue keys together work on Redis Cluster. None
 * starts with `events:` or `runs:`, which are BullMQ's.
 */
export function engineKeys(prefix: string) {
  const tag = keyPrefix(prefix);
  const byFunction = new Map<string, string>(); // function ids are few: digest each once
  return {
    run: (runId: string) => `${tag}:run:${runId}`,
    runIndex: `${tag}:run-index`,
    runIndexByFunction(functionId: string): string {
      let key = byFunction.get(functionId);
      if (!key) byFunction.set(functionId, (key = `${tag}:run-index:fn:${digest(functionId)}`));
      return key;
    },
    eventRuns: (eventId: string) => `${tag}:event-runs:${digest(eventId)}`,
    waiters: (eventName: string) => `${tag}:waiters:${eventName}`,
    idempotency: (functionId: string, key: string) => `${tag}:idempotency:${digest(`${functionId}\n${key}`)}`,
    concurrency: (functionId: string, key: string) => `${tag}:concurrency:${digest(`${functionId}\n${key}`)}`,
  };
}

export type EngineKeys = ReturnType<typeof engineKeys>;

/** A short stable digest, so user-chosen strings never bloat or break a key. */
export function digest(value: string): string {
  return createHash("sha256").update(value).digest("base64url").slice(0, 22);
}

/**
 * A sortable index member: zero-padded time, then the id. Lexicographic order is time order, the
 * id breaks ties (a batch of events shares one millisecond), and a member is an exact cursor.
 */
export function indexMember(time: number, id: string): string {
  return `${String(Math.max(0, Math.floor(time))).padStart(13, "0")}|${id}`;
}

export function idFromIndexMember(member: string): string {
  return member.slice(member.indexOf("|") + 1);
}
