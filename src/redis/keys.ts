import { createHash } from "node:crypto";
import { keyPrefix } from "../queue/queue-names.ts";

/**
 * Every Redis key the bridge writes, named in one place. All carry the `{prefix}` hash tag shared
 * with BullMQ's queues, so scripts that touch run state and queue keys together work on Redis
 * Cluster. None starts with a queue's name (`events:`, `runs:`), which BullMQ owns; BullMQ's own
 * keys are named only in src/queue/. No user-chosen string (event name, event id, function id,
 * key expression value) is used as it is: each goes through `digest`. A new family is either
 * registered by the store that erases it for a user, or declared free of personal data
 * (src/erasure/personal-data-stores.ts): test/unit/erasure-key-families.test.ts checks.
 */
export function bridgeKeys(prefix: string) {
  const tag = keyPrefix(prefix);
  const digests = new Map<string, string>(); // names and function ids are few: digest each once
  const cached = (value: string) => {
    let key = digests.get(value);
    if (key === undefined) {
      if (digests.size > 10_000) digests.clear();
      digests.set(value, (key = digest(value)));
    }
    return key;
  };
  return {
    tag,
    /** One hash per run: run fields, and a `step:<id>` field per step. */
    run: (runId: string) => `${tag}:run:${runId}`,
    /**
     * Each function's runs by creation time (a sorted set); the list of all runs merges them, so a
     * run is indexed once. `runFunctions` names the functions that have such an index.
     */
    runIndexByFunction: (functionId: string) => `${tag}:run-index:fn:${cached(functionId)}`,
    runIndexPattern: `${tag}:run-index:fn:*`,
    runFunctions: `${tag}:run-functions`,
    /**
     * The events that name a user (erasure finds them here) and the runs an event started: hashes
     * whose fields are the ids (Redis packs a small hash; a set of strings it does not), kept for
     * RETENTION. `legacy*`: the sets of earlier versions, still read until they expire.
     */
    userEvents: (userId: string) => `${tag}:user-event-ids:${digest(userId)}`,
    /** An erased user's tombstone: only the digest of the id, kept for TOMBSTONE_TTL (src/events/tombstones.ts). */
    tombstone: (userId: string) => `${tag}:tombstone:${digest(userId)}`,
    eventRuns: (eventId: string) => `${tag}:event-run-ids:${digest(eventId)}`,
    legacyUserEvents: (userId: string) => `${tag}:user-events:${digest(userId)}`,
    legacyEventRuns: (eventId: string) => `${tag}:event-runs:${digest(eventId)}`,
    /**
     * waitForEvent and cancelOn entries, by the event they wait for: those with a `match`, by the
     * path and the trigger's value there (the paths in use listed per name); those with only an
     * `if`, in one bounded hash per name.
     */
    matchWaiters: (eventName: string, path: string, valueDigest: string) =>
      `${tag}:waiters:m:${cached(eventName)}:${cached(path)}:${valueDigest}`,
    waiterPaths: (eventName: string) => `${tag}:waiters:paths:${cached(eventName)}`,
    ifWaiters: (eventName: string) => `${tag}:waiters:if:${cached(eventName)}`,
    /** The step waiting for a signal ("<run id>|<step id>"): signal names are unique, as in Inngest. */
    signal: (name: string) => `${tag}:signal:${digest(name)}`,
    idempotency: (functionId: string, value: string) => `${tag}:idempotency:${digest(`${functionId}\n${value}`)}`,
    concurrency: (scope: string, value: string) => `${tag}:concurrency:${digest(`${scope}\n${value}`)}`,
    /** The runs waiting for a slot of that limit: by order, and by when each last asked. */
    concurrencyLine: (scope: string, value: string) => `${tag}:concurrency-line:${digest(`${scope}\n${value}`)}`,
    concurrencyLineSeen: (scope: string, value: string) => `${tag}:concurrency-seen:${digest(`${scope}\n${value}`)}`,
    /** Flow control state per function and key value: GCRA times, the singleton's holder run. */
    rateLimit: (functionId: string, value: string) => `${tag}:rate-limit:${digest(`${functionId}\n${value}`)}`,
    throttle: (functionId: string, value: string) => `${tag}:throttle:${digest(`${functionId}\n${value}`)}`,
    singleton: (functionId: string, value: string) => `${tag}:singleton:${digest(`${functionId}\n${value}`)}`,
    /** A debounce in progress (hash), and the one its fire job has claimed, by generation. */
    debounce: (functionId: string, value: string) => `${tag}:debounce:${digest(`${functionId}\n${value}`)}`,
    debounceClaim: (generation: string) => `${tag}:debounce-claim:${generation}`,
    /** The open batch of a function and key (its id), a batch's event ids, and which batch took an event. */
    batch: (functionId: string, value: string) => `${tag}:batch:${digest(`${functionId}\n${value}`)}`,
    batchEvents: (batchId: string) => `${tag}:batch-events:${batchId}`,
    batchedEvent: (functionId: string, eventId: string) => `${tag}:batched:${digest(`${functionId}\n${eventId}`)}`,
    /** The event history: ids by time, overall and per event name. */
    eventLog: `${tag}:event-log`,
    eventLogByName: (name: string) => `${tag}:event-log:name:${cached(name)}`,
    /** The functions the workers run, published for a receiver that runs none. */
    functionDirectory: `${tag}:functions`,
    /** The destinations the workers loaded, on or off, published for the dashboard. */
    destinationDirectory: `${tag}:destinations`,
    /** The development outbox (SMTP_URL unset). */
    outbox: `${tag}:outbox`,
    /** A dashboard session, under the digest of its id: the id itself (the cookie) is never stored. */
    session: (sessionId: string) => `${tag}:session:${digest(sessionId)}`,
    /** The prefix of one failure limiter's counters (rate-limiter-flexible appends `:<digest of address>`). */
    failureLimiter: (kind: string) => `${tag}:failures:${kind}`,
    /** What /readyz writes (with an expiry) to find out whether Redis accepts writes (out of memory). */
    healthProbe: `${tag}:health-probe`,
    /** A canary sealed with ENCRYPTION_KEY: a wrong key is found at start, not in a run. */
    encryptionCheck: `${tag}:encryption-check`,
    /** The ids of keys replaced as the sealing one whose data `bridge rekey` has not yet moved (a set). */
    encryptionRetiring: `${tag}:encryption-retiring`,
    /** Where an interrupted `bridge rekey` resumes: its SCAN cursor, sealing key id and counts (a hash). */
    rekeyProgress: `${tag}:rekey-progress`,
    /** The operators' audit log: a capped stream. */
    audit: `${tag}:audit`,
    /** Webhook deliveries the intake did not simply accept (rejected, redelivered, re-run): a capped stream. */
    deliveries: `${tag}:deliveries`,
    /** A failed delivery's verified payload, kept for a re-run (`id`: a ulid of our own). */
    deliveryPayload: (id: string) => `${tag}:delivery-payload:${digest(id)}`,
    /** Every event name seen, scored by when last seen: the index behind name prefix and wildcard search. */
    eventNames: `${tag}:event-names`,
    /** The ids of paused functions, and per function the runs held back while it is paused. */
    pausedFunctions: `${tag}:paused-functions`,
    pausedRuns: (functionId: string) => `${tag}:paused-runs:${cached(functionId)}`,
    /** The items a bulk action selected when it started (by its job id), worked through in order. */
    bulkItems: (jobId: string) => `${tag}:bulk-items:${digest(jobId)}`,
  };
}

export type BridgeKeys = ReturnType<typeof bridgeKeys>;

/** A short stable digest, so user-chosen strings never bloat, break or collide with a key. */
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
