import type { StandardSchemaV1 } from "@standard-schema/spec";
import { NonRetriableError } from "../engine/definition/non-retriable-error.ts";

/**
 * Inngest v4's typed events: `eventType(name, { schema })` gives an event usable as a trigger
 * (`triggers: [userCreated]` or `{ event: userCreated, if }`), in `cancelOn[].event`, in
 * `step.waitForEvent({ event })` and in `send(userCreated.create(data))`. With a Standard Schema
 * (zod, valibot, arktype...), a run's event data is validated before the handler starts, and a
 * run whose event does not fit fails without retries, as in v4.
 */
export class EventType<
  TName extends string = string,
  TSchema extends StandardSchemaV1 | undefined = StandardSchemaV1 | undefined,
> {
  /** The same as `name`: lets the event type stand where `{ event }` is expected. */
  readonly event: TName;
  readonly name: TName;
  readonly schema: TSchema;
  readonly version?: string;

  constructor({ name, schema, version }: { name: TName; schema: TSchema; version?: string }) {
    this.event = name;
    this.name = name;
    this.schema = schema;
    if (version !== undefined) this.version = version;
  }

  /** An event to send; `validate()` checks its data against the schema (send() calls it). */
  create(...[data, options]: CreateArgs<TSchema>): CreatedEvent<TName, SchemaData<TSchema>> {
    const event = {
      name: this.name,
      data: (data ?? {}) as SchemaData<TSchema>,
      ...options,
      ...(this.version ? { v: this.version } : {}),
    };
    return { ...event, validate: () => validateEventData(this.schema, event) };
  }
}

/** An event's data when no schema says what it holds. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- data without a schema is read freely by handlers, as inngest-js types it
export type UntypedData = Record<string, any>;

export type SchemaData<TSchema> = TSchema extends StandardSchemaV1
  ? StandardSchemaV1.InferOutput<TSchema>
  : UntypedData;

interface CreateOptions {
  id?: string;
  ts?: number;
  v?: string;
}

type CreateArgs<TSchema> = TSchema extends StandardSchemaV1
  ? [data: SchemaData<TSchema>, options?: CreateOptions]
  : [data?: Record<string, unknown>, options?: CreateOptions];

export type CreatedEvent<TName extends string, TData> = { name: TName; data: TData } & CreateOptions & {
    validate(): Promise<void>;
  };

export function eventType<TName extends string, TSchema extends StandardSchemaV1 | undefined = undefined>(
  name: TName,
  options: { schema?: TSchema; version?: string } = {},
): EventType<TName, TSchema> {
  return new EventType({
    name,
    schema: options.schema as TSchema,
    ...(options.version ? { version: options.version } : {}),
  });
}

/** A schema that gives types only: its `validate` lets everything through (vendor "inngest", as v4). */
export function staticSchema<T extends Record<string, unknown>>(): StandardSchemaV1<T> {
  return { "~standard": { version: 1, vendor: "inngest", validate: (value) => ({ value: value as T }) } };
}

/** Inngest v4's helper: `cron("0 9 * * *")` is `{ cron: "0 9 * * *" }`. */
export function cron<T extends string>(schedule: T): { cron: T } {
  return { cron: schedule };
}

/** An event whose data does not fit its schema: retrying cannot fix it. */
export class EventValidationError extends NonRetriableError {
  override name = "EventValidationError";
}

/** Throws EventValidationError naming the event and each issue's path. */
export async function validateEventData(
  schema: StandardSchemaV1 | undefined,
  event: { name: string; data: unknown },
): Promise<void> {
  const failure = await checkEventData(
    [schema].filter((s) => s !== undefined),
    event.data,
  );
  if (failure) throw new EventValidationError(`event "${event.name}": ${failure}`);
}

/**
 * Data fits when one of the schemas accepts it (several triggers of one name form a union, as in
 * v4). Answers a description of the issues of the first schema when none does.
 */
export async function checkEventData(schemas: readonly StandardSchemaV1[], data: unknown): Promise<string | undefined> {
  let first: string | undefined;
  for (const schema of schemas) {
    const result = await schema["~standard"].validate(data);
    if (!result.issues) return undefined;
    first ??= result.issues.map(describeIssue).join("; ");
  }
  return first;
}

function describeIssue(issue: StandardSchemaV1.Issue): string {
  const path = (issue.path ?? []).map((segment) => String(typeof segment === "object" ? segment.key : segment));
  return `${["data", ...path].join(".")}: ${issue.message}`;
}

export function isEventType(value: unknown): value is EventType {
  return value instanceof EventType;
}
