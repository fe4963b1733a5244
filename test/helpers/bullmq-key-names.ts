/**
 * Every name BullMQ gives a key of its own under a queue (`<prefix>:<queue>:<name>`), read from
 * its source (classes/queue-keys.js, the toKey calls in classes/, the key suffixes in
 * commands/*.lua), and every per-job suffix (`<prefix>:<queue>:<jobId>:<suffix>`): what a job id
 * or a key made from a user's string must never be. One list for the tests that hunt for them.
 */
export const BULLMQ_QUEUE_KEY_NAMES = [
  "wait",
  "waiting",
  "active",
  "paused",
  "meta",
  "marker",
  "id",
  "events",
  "delayed",
  "delay",
  "prioritized",
  "priority",
  "completed",
  "failed",
  "stalled",
  "stalled-check",
  "limiter",
  "repeat",
  "pc",
  "de",
  "dn",
  "waiting-children",
  "metrics",
  "metrics:completed",
  "metrics:completed:data",
  "metrics:failed",
  "metrics:failed:data",
  "repeat:abc",
  "de:abc",
  "dn:abc",
  "node",
  "subs",
  "inbox",
  "retained",
  "cleanup",
  "started",
  "ret",
  "layout",
  "mid",
  "data",
] as const;

export const BULLMQ_JOB_SUFFIXES = [
  "logs",
  "lock",
  "dependencies",
  "processed",
  "failed",
  "unsuccessful",
  "waiting-children",
  "data",
] as const;
