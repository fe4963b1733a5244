import { setImmediate as nextTurn } from "node:timers/promises";

/** How long one slice may hold the event loop before the filter lets other work in. */
const SLICE_MS = 10;

/**
 * `items.filter(keep)`, giving the event loop back every SLICE_MS: a search over 10,000 names
 * (or a page of 5,000 runs) must not hold up health checks and webhooks while it runs.
 */
export async function filterInSlices<T>(items: readonly T[], keep: (item: T) => boolean): Promise<T[]> {
  const kept: T[] = [];
  let sliceStart = performance.now();
  for (const [index, item] of items.entries()) {
    if (keep(item)) kept.push(item);
    if ((index & 63) === 63 && performance.now() - sliceStart > SLICE_MS) {
      await nextTurn();
      sliceStart = performance.now();
    }
  }
  return kept;
}
