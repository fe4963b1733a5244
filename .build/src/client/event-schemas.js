class EventSchemas {
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
export {
  EventSchemas
};
