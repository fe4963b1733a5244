import { createHash } from "node:crypto";
import { keyPrefix } from "../queue/queue-names.js";
/**
 * Every Redis key the bridge writes, named in one place. All carry the `{prefix}` hash tag shared
 * with BullMQ's queues, so scripts that touch run state and queue keys together work on Redis
 * Cluster. None starts with a queue's name (`events:`, `runs:`), which BullMQ owns; BullMQ's own
 * keys are named only in src/queue/. No user-chosen string (event name, event id, function id,
 * key expression value) is used as it is: each goes through `digest`.
 */
export function bridgeKeys(prefix) {
    const tag = keyPrefix(prefix);
    const digests = new Map(); // names and function ids are few: digest each once
    const cached = (value) => {
        let key = digests.get(value);
        if (key === undefined) {
            if (digests.size > 10_000)
                digests.clear();
            digests.set(value, (key = digest(value)));
        }
        return key;
    };
    return {
        tag,
        /** One hash per run: run fields, and a `step:<id>` field per step. */
        run: (runId) => `${tag}:run:${runId}`,
        /** Sorted sets of run ids by creation time: all runs, and each function's. */
        runIndex: `${tag}:run-index`,
        runIndexByFunction: (functionId) => `${tag}:run-index:fn:${cached(functionId)}`,
        /** The events that name a user (erasure finds them here), kept for RETENTION. */
        userEvents: (userId) => `${tag}:user-events:${digest(userId)}`,
        /** The runs an event started. */
        eventRuns: (eventId) => `${tag}:event-runs:${digest(eventId)}`,
        /**
         * waitForEvent and cancelOn entries, by the event they wait for: those with a `match`, by the
         * path and the trigger's value there (the paths in use listed per name); those with only an
         * `if`, in one bounded hash per name.
         */
        matchWaiters: (eventName, path, valueDigest) => `${tag}:waiters:m:${cached(eventName)}:${cached(path)}:${valueDigest}`,
        waiterPaths: (eventName) => `${tag}:waiters:paths:${cached(eventName)}`,
        ifWaiters: (eventName) => `${tag}:waiters:if:${cached(eventName)}`,
        /** The step waiting for a signal ("<run id>|<step id>"): signal names are unique, as in Inngest. */
        signal: (name) => `${tag}:signal:${digest(name)}`,
        idempotency: (functionId, value) => `${tag}:idempotency:${digest(`${functionId}\n${value}`)}`,
        concurrency: (scope, value) => `${tag}:concurrency:${digest(`${scope}\n${value}`)}`,
        /** The runs waiting for a slot of that limit: by order, and by when each last asked. */
        concurrencyLine: (scope, value) => `${tag}:concurrency-line:${digest(`${scope}\n${value}`)}`,
        concurrencyLineSeen: (scope, value) => `${tag}:concurrency-seen:${digest(`${scope}\n${value}`)}`,
        /** Flow control state per function and key value: GCRA times, the singleton's holder run. */
        rateLimit: (functionId, value) => `${tag}:rate-limit:${digest(`${functionId}\n${value}`)}`,
        throttle: (functionId, value) => `${tag}:throttle:${digest(`${functionId}\n${value}`)}`,
        singleton: (functionId, value) => `${tag}:singleton:${digest(`${functionId}\n${value}`)}`,
        /** A debounce in progress (hash), and the one its fire job has claimed, by generation. */
        debounce: (functionId, value) => `${tag}:debounce:${digest(`${functionId}\n${value}`)}`,
        debounceClaim: (generation) => `${tag}:debounce-claim:${generation}`,
        /** The open batch of a function and key (its id), a batch's event ids, and which batch took an event. */
        batch: (functionId, value) => `${tag}:batch:${digest(`${functionId}\n${value}`)}`,
        batchEvents: (batchId) => `${tag}:batch-events:${batchId}`,
        batchedEvent: (functionId, eventId) => `${tag}:batched:${digest(`${functionId}\n${eventId}`)}`,
        /** The event history: ids by time, overall and per event name. */
        eventLog: `${tag}:event-log`,
        eventLogByName: (name) => `${tag}:event-log:name:${cached(name)}`,
        /** The functions the workers run, published for a receiver that runs none. */
        functionDirectory: `${tag}:functions`,
        /** The destinations the workers loaded, on or off, published for the dashboard. */
        destinationDirectory: `${tag}:destinations`,
        /** The development outbox (SMTP_URL unset). */
        outbox: `${tag}:outbox`,
        /** A dashboard session, under the digest of its id: the id itself (the cookie) is never stored. */
        session: (sessionId) => `${tag}:session:${digest(sessionId)}`,
        /** The prefix of one failure limiter's counters (rate-limiter-flexible appends `:<digest of address>`). */
        failureLimiter: (kind) => `${tag}:failures:${kind}`,
        /** A canary sealed with ENCRYPTION_KEY: a wrong key is found at start, not in a run. */
        encryptionCheck: `${tag}:encryption-check`,
        /** The operators' audit log: a capped stream. */
        audit: `${tag}:audit`,
        /** Webhook deliveries the intake did not simply accept (rejected, redelivered, re-run): a capped stream. */
        deliveries: `${tag}:deliveries`,
        /** A failed delivery's verified payload, kept for a re-run (`id`: a ulid of our own). */
        deliveryPayload: (id) => `${tag}:delivery-payload:${digest(id)}`,
        /** Every event name seen, scored by when last seen: the index behind name prefix and wildcard search. */
        eventNames: `${tag}:event-names`,
        /** The ids of paused functions, and per function the runs held back while it is paused. */
        pausedFunctions: `${tag}:paused-functions`,
        pausedRuns: (functionId) => `${tag}:paused-runs:${cached(functionId)}`,
        /** The items a bulk action selected when it started (by its job id), worked through in order. */
        bulkItems: (jobId) => `${tag}:bulk-items:${digest(jobId)}`,
    };
}
/** A short stable digest, so user-chosen strings never bloat, break or collide with a key. */
export function digest(value) {
    return createHash("sha256").update(value).digest("base64url").slice(0, 22);
}
/**
 * A sortable index member: zero-padded time, then the id. Lexicographic order is time order, the
 * id breaks ties (a batch of events shares one millisecond), and a member is an exact cursor.
 */
export function indexMember(time, id) {
    return `${String(Math.max(0, Math.floor(time))).padStart(13, "0")}|${id}`;
}
export function idFromIndexMember(member) {
    return member.slice(member.indexOf("|") + 1);
}
