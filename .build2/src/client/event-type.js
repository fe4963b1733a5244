import { NonRetriableError } from "../engine/non-retriable-error.js";
/**
 * Inngest v4's typed events: `eventType(name, { schema })` gives an event usable as a trigger
 * (`triggers: [userCreated]` or `{ event: userCreated, if }`), in `cancelOn[].event`, in
 * `step.waitForEvent({ event })` and in `send(userCreated.create(data))`. With a Standard Schema
 * (zod, valibot, arktype...), a run's event data is validated before the handler starts, and a
 * run whose event does not fit fails without retries, as in v4.
 */
export class EventType {
    /** The same as `name`: lets the event type stand where `{ event }` is expected. */
    event;
    name;
    schema;
    version;
    constructor({ name, schema, version }) {
        this.event = name;
        this.name = name;
        this.schema = schema;
        if (version !== undefined)
            this.version = version;
    }
    /** An event to send; `validate()` checks its data against the schema (send() calls it). */
    create(...[data, options]) {
        const event = { name: this.name, data: (data ?? {}), ...options, ...(this.version ? { v: this.version } : {}) };
        return { ...event, validate: () => validateEventData(this.schema, event) };
    }
}
export function eventType(name, options = {}) {
    return new EventType({ name, schema: options.schema, ...(options.version ? { version: options.version } : {}) });
}
/** A schema that gives types only: its `validate` lets everything through (vendor "inngest", as v4). */
export function staticSchema() {
    return { "~standard": { version: 1, vendor: "inngest", validate: (value) => ({ value: value }) } };
}
/** Inngest v4's helper: `cron("0 9 * * *")` is `{ cron: "0 9 * * *" }`. */
export function cron(schedule) {
    return { cron: schedule };
}
/** An event whose data does not fit its schema: retrying cannot fix it. */
export class EventValidationError extends NonRetriableError {
    name = "EventValidationError";
}
/** Throws EventValidationError naming the event and each issue's path. */
export async function validateEventData(schema, event) {
    const failure = await checkEventData([schema].filter((s) => s !== undefined), event.data);
    if (failure)
        throw new EventValidationError(`event "${event.name}": ${failure}`);
}
/**
 * Data fits when one of the schemas accepts it (several triggers of one name form a union, as in
 * v4). Answers a description of the issues of the first schema when none does.
 */
export async function checkEventData(schemas, data) {
    let first;
    for (const schema of schemas) {
        const result = await schema["~standard"].validate(data);
        if (!result.issues)
            return undefined;
        first ??= result.issues.map(describeIssue).join("; ");
    }
    return first;
}
function describeIssue(issue) {
    const path = (issue.path ?? []).map((segment) => String(typeof segment === "object" ? segment.key : segment));
    return `${["data", ...path].join(".")}: ${issue.message}`;
}
export function isEventType(value) {
    return value instanceof EventType;
}
