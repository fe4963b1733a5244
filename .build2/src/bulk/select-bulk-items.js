import { testExpression } from "../engine/expressions.js";
import { isFinalStatus } from "../engine/run-state.js";
import { BULK_MAX } from "./bulk-request.js";
const PAGE = 200;
/**
 * The items of a bulk action, newest first, page by page, from the same indexes (and with the
 * same bounds per page) as the dashboard's lists: events through the search, runs through a
 * function's time index. Nothing after `until` (when the operator asked) is ever selected, so
 * the events a bulk replay makes are not replayed in turn.
 */
export async function* selectBulkItems(sources, request) {
    let before;
    do {
        const range = { limit: PAGE, until: request.until, ...(request.since === undefined ? {} : { since: request.since }), ...(before ? { before } : {}) };
        if (request.kind === "replay") {
            const page = request.q ? await sources.searchEvents({ ...range, q: request.q }) : await sources.listEvents(range);
            yield page.items.map((event) => ({ id: event.id, label: event.name }));
            before = page.next;
        }
        else {
            const status = request.kind === "retry" ? { status: "failed" } : {};
            const page = await sources.listRuns({ ...range, functionId: request.functionId, ...status });
            const wanted = request.kind === "cancel" ? page.items.filter((run) => !isFinalStatus(run.status) && (!request.if || testExpression(request.if, { event: run.event }))) : page.items;
            yield wanted.map((run) => ({ id: run.id, label: `${run.functionId} · ${run.eventName}` }));
            before = page.next;
        }
    } while (before);
}
/** The dry run: how many items (up to one past BULK_MAX, then `capped`), and the first few. */
export async function countBulkItems(sources, request) {
    let count = 0;
    const sample = [];
    for await (const items of selectBulkItems(sources, request)) {
        count += items.length;
        sample.push(...items.slice(0, Math.max(0, 5 - sample.length)));
        if (count > BULK_MAX)
            return { count: BULK_MAX, capped: true, sample };
    }
    return { count, capped: false, sample };
}
