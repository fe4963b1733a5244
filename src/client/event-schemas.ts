import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { UntypedData } from "./event-type.ts";

/** Event name → payload parts, as EventSchemas collects them. */
export type EventMap = Record<string, { data?: unknown }>;

/**
 * Inngest v3's `new EventSchemas().fromRecord<...>()`: types `event.data` in handlers and the
 * payloads of `inngest.send()`. Types only, as in Inngest: nothing is validated at run time (use
 * v4's `eventType(name, { schema })` for that).
 */
export class EventSchemas<TEvents = {}> {
  /** Carries the collected events for TypeScript; never set. */
  declare readonly "~events": TEvents;

  fromRecord<T extends EventMap>(): EventSchemas<Combine<TEvents, T>> {
    return this as unknown as EventSchemas<Combine<TEvents, T>>;
  }

  fromUnion<T extends { name: string; data?: unknown }>(): EventSchemas<Combine<TEvents, UnionToMap<T>>> {
    return this as unknown as EventSchemas<Combine<TEvents, UnionToMap<T>>>;
  }

  /** `{ "app/x": { data: z.object(...) } }`, or `[z.object({ name: z.literal("app/x"), data })]`. */
  fromZod<const T extends Record<string, { data?: StandardSchemaV1 }> | readonly StandardSchemaV1[]>(
    _schemas: T,
  ): EventSchemas<Combine<TEvents, SchemaEvents<T>>> {
    return this as unknown as EventSchemas<Combine<TEvents, SchemaEvents<T>>>;
  }

  /** `{ "app/x": standardSchemaOfTheData }`, any Standard Schema library. */
  fromSchema<const T extends Record<string, StandardSchemaV1>>(
    _schemas: T,
  ): EventSchemas<Combine<TEvents, { [K in keyof T]: { data: StandardSchemaV1.InferOutput<T[K]> } }>> {
    return this as unknown as EventSchemas<
      Combine<TEvents, { [K in keyof T]: { data: StandardSchemaV1.InferOutput<T[K]> } }>
    >;
  }
}

type Combine<A, B> = { [K in keyof A | keyof B]: K extends keyof B ? B[K] : K extends keyof A ? A[K] : never };

type UnionToMap<T extends { name: string }> = { [N in T["name"]]: Omit<Extract<T, { name: N }>, "name"> };

type SchemaEvents<T> = T extends readonly StandardSchemaV1[]
  ? UnionToMap<Extract<StandardSchemaV1.InferOutput<T[number]>, { name: string }>>
  : {
      [K in keyof T]: {
        data: T[K] extends { data: StandardSchemaV1 } ? StandardSchemaV1.InferOutput<T[K]["data"]> : UntypedData;
      };
    };
