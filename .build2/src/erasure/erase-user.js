import { isFinalStatus } from "../engine/run-state.js";
import { locateWaiter, waiterField } from "../engine/waiters.js";
import { eraseUserRow } from "../functions/postgres/users-table.js";
import { eventJobId } from "../queue/event-jobs.js";
import { indexMember } from "../redis/keys.js";
import { emailAddressesOf, userIdsOf } from "./user-ids.js";
/**
 * Erases everything the bridge holds about a Clerk user: the events whose data or `user` names
 * them (found through the index the router keeps), those events' runs with their step outputs
 * and waiters (a run still going is cancelled first, so it sends nothing more), development
 * outbox emails to their addresses, and the users row, of which only the id and deleted_at stay
 * (so a late webhook still cannot bring the user back). Idempotent.
 */
export function createEraser(deps) {
    const { redis, keys } = deps;
    async function erase(userId, options = {}) {
        const eventIds = (await redis.smembers(keys.userEvents(userId))).filter((id) => id !== options.keepEventId);
        const emails = new Set();
        const cancelOns = new Map((await deps.listFunctions()).map((fn) => [fn.id, fn.cancelOn ?? []]));
        let runs = 0;
        const waiters = [];
        for (const eventId of eventIds) {
            const event = await deps.eventLog.getEvent(eventId);
            for (const email of event ? emailAddressesOf(event) : [])
                emails.add(email);
            const erased = await eraseRuns(eventId, event, cancelOns);
            runs += erased.runs;
            waiters.push(...erased.waiters);
            await eraseEvent(eventId, event);
        }
        await deps.waiters.remove(waiters);
        const usersRow = deps.database ? await eraseUserRow(deps.database, userId, emails) : "no database";
        const outboxed = await eraseOutbox(emails);
        const deliveries = (await deps.deliveries?.forgetPayloads((payload) => namesUser(payload, userId))) ?? 0;
        if (eventIds.length > 0)
            await redis.srem(keys.userEvents(userId), ...eventIds);
        return { userId, events: eventIds.length, runs, waiters: waiters.filter(Boolean).length, emails: outboxed, deliveries, usersRow };
    }
    async function eraseRuns(eventId, event, cancelOns) {
        const found = (await deps.runs.queries.listRunsForEvent(eventId));
        const locations = [];
        for (const run of found) {
            // A run still going is cancelled first: it must not send anything more about this user.
            if (!isFinalStatus(run.status))
                await deps.runs.commands.cancelRun(run.id, "the user was erased").catch(() => undefined);
            locations.push(...waitersOf(run, event, cancelOns.get(run.functionId) ?? []));
            await deps.queues.runs.remove(run.id).catch(() => undefined);
            const member = indexMember(run.createdAt, run.id);
            await redis.multi().del(keys.run(run.id)).zrem(keys.runIndex, member).zrem(keys.runIndexByFunction(run.functionId), member).exec();
        }
        return { runs: found.length, waiters: locations };
    }
    function waitersOf(run, event, cancelOn) {
        const cancels = event
            ? cancelOn.flatMap((cancel, index) => locateWaiter(keys, { eventName: cancel.event, field: waiterField({ kind: "cancel", runId: run.id }, index), match: cancel.match, if: cancel.if }, event) ?? [])
            : [];
        const waits = run.steps.filter((step) => step.waiterKey).map((step) => ({ key: step.waiterKey, field: waiterField({ kind: "wait", runId: run.id, stepId: step.id }) }));
        return [...cancels, ...waits];
    }
    async function eraseEvent(eventId, event) {
        await deps.queues.events.remove(eventJobId(eventId)).catch(() => undefined);
        const transaction = redis.multi().del(keys.eventRuns(eventId));
        if (event) {
            const { allKey, nameKey, member } = deps.eventLog.entryOf(event);
            transaction.zrem(allKey, member).zrem(nameKey, member);
        }
        await transaction.exec();
    }
    /** Outbox entries addressed to the user: removed one by one (LREM of the exact entry). */
    async function eraseOutbox(emails) {
        if (emails.size === 0)
            return 0;
        const entries = await redis.lrange(keys.outbox, 0, -1);
        const doomed = entries.filter((entry) => {
            try {
                return emails.has(String(JSON.parse(entry).to));
            }
            catch {
                return false;
            }
        });
        for (const entry of doomed)
            await redis.lrem(keys.outbox, 0, entry);
        return doomed.length;
    }
    return { erase };
}
/** Whether a kept webhook payload (`{ type, data }`, as Clerk sends it) names the user. */
function namesUser(payload, userId) {
    try {
        const body = JSON.parse(payload.body);
        return userIdsOf({ name: `${payload.source}/${String(body.type)}`, data: body.data ?? {} }).includes(userId);
    }
    catch {
        return false;
    }
}
