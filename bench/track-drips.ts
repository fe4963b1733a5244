import type { ReceivedEmail } from "../test/helpers/smtp-test-server.ts";

export interface DripProgress {
  /** Recipients that have received two different messages (the welcome and the trial offer). */
  done: number;
  /** `receivedAt` of the message that completed the last of them, or null before the first. */
  lastDoneAt: number | null;
}

/**
 * Follows the sink's mailbox for a set of recipients. A drip counts as done when its recipient has
 * two different subjects: a repeated welcome is not a trial offer.
 */
export function trackDrips(
  received: readonly ReceivedEmail[],
  recipients: Iterable<string>,
): { update(): DripProgress } {
  const subjects = new Map<string, Set<string>>();
  for (const recipient of recipients) subjects.set(recipient.toLowerCase(), new Set());
  const progress: DripProgress = { done: 0, lastDoneAt: null };
  let read = 0;
  return {
    update() {
      for (; read < received.length; read++) {
        const email = received[read]!;
        for (const to of email.to) {
          const seen = subjects.get(to.toLowerCase());
          if (!seen || seen.has(email.subject)) continue;
          seen.add(email.subject);
          if (seen.size !== 2) continue;
          progress.done++;
          progress.lastDoneAt = Math.max(progress.lastDoneAt ?? 0, email.receivedAt);
        }
      }
      return progress;
    },
  };
}
