import { NonRetriableError } from "../engine/non-retriable-error.js";
class EventType {
  /** The same as `name`: lets the event type stand where `{ event }` is expected. */
  event;
  name;
  schema;
  version;
  constructor({ name, schema, version }) {
    this.event = name;
    this.name = name;
    this.schema = schema;
    if (version !== void 0) this.version = version;
  }
  /** An event to send; `validate()` checks its data against the schema (send() calls it). */
  create(...[data, options]) {
    const event = { name: this.name, data: data ?? {}, ...options, ...this.version ? { v: this.version } : {} };
    return { ...event, validate: () => validateEventData(this.schema, event) };
  }
}
function eventType(name, options = {}) {
  return new EventType({ name, schema: options.schema, ...options.version ? { version: options.version } : {} });
}
function staticSchema() {
  return { "~standard": { version: 1, vendor: "inngest", validate: (value) => ({ value }) } };
}
function cron(schedule) {
  return { cron: schedule };
}
class EventValidationError extends NonRetriableError {
  name = "EventValidationError";
}
async function validateEventData(schema, event) {
  const failure = await checkEventData([schema].filter((s) => s !== void 0), event.data);
  if (failure) throw new EventValidationError(`event "${event.name}": ${failure}`);
}
async function checkEventData(schemas, data) {
  let first;
  for (const schema of schemas) {
    const result = await schema["~standard"].validate(data);
    if (!result.issues) return void 0;
    first ??= result.issues.map(describeIssue).join("; ");
  }
  return first;
}
function describeIssue(issue) {
  const path = (issue.path ?? []).map((segment) => String(typeof segment === "object" ? segment.key : segment));
  return `${["data", ...path].join(".")}: ${issue.message}`;
}
function isEventType(value) {
  return value instanceof EventType;
}
export {
  EventType,
  EventValidationError,
  checkEventData,
  cron,
  eventType,
  isEventType,
  staticSchema,
  validateEventData
};
