import { testExpression } from "../engine/definition/expressions.ts";
import { isFinalStatus, type RunState } from "../engine/store/run-state.ts";
import type { Page, RunQuery } from "../engine/store/run-queries.ts";
import type { EventPage, EventQuery } from "../events/event-log.ts";
import type { EventSearchResult } from "../search/search-events.ts";
import { BULK_MAX, type BulkRequest } from "./bulk-request.ts";

/** An event or a run a bulk action will touch, with a label for the page. */
export interface BulkItem {
  id: string;
  label: string;
}

/** Where a bulk action finds its items: the operator API's own reads. */
export interface BulkSources {
  listEvents(query: EventQuery): Promise<EventPage>;
  searchEvents(query: EventQuery & { q: string }): Promise<EventSearchResult>;
  listRuns(query: RunQuery): Promise<Page<RunState>>;
}

const PAGE = 200;

/**
 * The items of a bulk action, newest first, page by page, from the same indexes (and with the
 * same bounds per page) as the dashboard's lists: events through the search, runs through a
 * function's time index. Nothing after `until` (when the operator asked) is ever selected, so
 * the events a bulk replay makes are not replayed in turn.
 */
export async function* selectBulkItems(sources: BulkSources, request: BulkRequest): AsyncGenerator<BulkItem[]> {
  let before: string | undefined;
  do {
    const range = {
      limit: PAGE,
      until: request.until,
      ...(request.since === undefined ? {} : { since: request.since }),
      ...(before ? { before } : {}),
    };
    if (request.kind === "replay") {
      const page = request.q ? await sources.searchEvents({ ...range, q: request.q }) : await sources.listEvents(range);
      yield page.items.map((event) => ({ id: event.id, label: event.name }));
      before = page.next;
    } else {
      const status = request.kind === "retry" ? { status: "failed" } : {};
      const page = await sources.listRuns({ ...range, functionId: request.functionId, ...status });
      const wanted =
        request.kind === "cancel"
          ? page.items.filter(
              (run) => !isFinalStatus(run.status) && (!request.if || testExpression(request.if, { event: run.event })),
            )
          : page.items;
      yield wanted.map((run) => ({ id: run.id, label: `${run.functionId} · ${run.eventName}` }));
      before = page.next;
    }
  } while (before);
}

/** The dry run: how many items (up to one past BULK_MAX, then `capped`), and the first few. */
export async function countBulkItems(
  sources: BulkSources,
  request: BulkRequest,
): Promise<{ count: number; capped: boolean; sample: BulkItem[] }> {
  let count = 0;
  const sample: BulkItem[] = [];
  for await (const items of selectBulkItems(sources, request)) {
    count += items.length;
    sample.push(...items.slice(0, Math.max(0, 5 - sample.length)));
    if (count > BULK_MAX) return { count: BULK_MAX, capped: true, sample };
  }
  return { count, capped: false, sample };
}
