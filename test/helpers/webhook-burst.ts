import { setTimeout as sleep } from "node:timers/promises";
import { clerkFixture, signFixture } from "./sign-fixture.ts";

export interface BurstResult {
  /** svix-ids answered 2xx: the bridge promised these are kept. */
  accepted: Set<string>;
  /** svix-ids answered otherwise, with the statuses seen. */
  refused: Map<string, number>;
  statuses: Map<number, number>;
}

/** One signed Clerk user.created per id, fresh signature each try (as Svix re-signs retries). */
export function deliver(url: string, id: string): Promise<Response> {
  const delivery = signFixture(clerkFixture("user.created"), { id });
  return fetch(`${url}/webhooks/clerk`, {
    method: "POST",
    headers: delivery.headers,
    body: delivery.body,
    signal: AbortSignal.timeout(15_000),
  });
}

/**
 * Sends `ids` at a steady pace with a few in flight at once, recording every answer. A network
 * error (connection refused, timeout) counts as status 0: Svix would retry it like any non-2xx.
 */
export async function burst(
  url: string,
  ids: string[],
  options: { concurrency?: number; gapMs?: number } = {},
): Promise<BurstResult> {
  const result: BurstResult = { accepted: new Set(), refused: new Map(), statuses: new Map() };
  let next = 0;
  await Promise.all(
    Array.from({ length: options.concurrency ?? 4 }, async () => {
      while (next < ids.length) {
        const id = ids[next++]!;
        const status = await deliver(url, id).then(
          (response) => response.status,
          () => 0,
        );
        result.statuses.set(status, (result.statuses.get(status) ?? 0) + 1);
        if (status >= 200 && status < 300) {
          result.accepted.add(id);
          result.refused.delete(id);
        } else {
          result.refused.set(id, status);
        }
        await sleep(options.gapMs ?? 10);
      }
    }),
  );
  return result;
}

/** Svix's part: redeliver every refused id until it is accepted (bounded). */
export async function redeliverUntilAccepted(url: string, result: BurstResult, attempts = 50): Promise<void> {
  for (let attempt = 0; attempt < attempts && result.refused.size > 0; attempt++) {
    const again = await burst(url, [...result.refused.keys()]);
    for (const id of again.accepted) {
      result.accepted.add(id);
      result.refused.delete(id);
    }
    if (result.refused.size > 0) await sleep(200);
  }
}
