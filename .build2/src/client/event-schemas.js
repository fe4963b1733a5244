/**
 * Inngest v3's `new EventSchemas().fromRecord<...>()`: types `event.data` in handlers and the
 * payloads of `inngest.send()`. Types only, as in Inngest: nothing is validated at run time (use
 * v4's `eventType(name, { schema })` for that).
 */
export class EventSchemas {
    fromRecord() {
        return this;
    }
    fromUnion() {
        return this;
    }
    /** `{ "app/x": { data: z.object(...) } }`, or `[z.object({ name: z.literal("app/x"), data })]`. */
    fromZod(_schemas) {
        return this;
    }
    /** `{ "app/x": standardSchemaOfTheData }`, any Standard Schema library. */
    fromSchema(_schemas) {
        return this;
    }
}
