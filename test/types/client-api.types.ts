/**
 * Type tests for the client, checked by `npm run typecheck` (tsconfig includes test/) and never
 * run. Each `@ts-expect-error` must meet an error, or the typecheck fails ("unused directive"):
 * a wrong field on typed event data is a type error, so the typing cannot silently decay to `any`.
 */
import { z } from "zod";
import {
  createFunction,
  EventSchemas,
  eventType,
  Inngest,
  InngestMiddleware,
  staticSchema,
} from "../../src/client/index.ts";

type Plan = "free" | "pro";

/** True only when A and B are the same type; `expectType<Equal<A, B>>()` fails to compile otherwise. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const expectType = <T extends true>(): T | void => undefined;

const typed = new Inngest({
  id: "typed",
  schemas: new EventSchemas().fromRecord<{
    "app/user.created": { data: { email: string; plan: Plan } };
    "app/ping": { data: { at: number } };
  }>(),
});

// v4: triggers in the options.
typed.createFunction({ id: "v4", triggers: [{ event: "app/user.created" }] }, async ({ event }) => {
  expectType<Equal<typeof event.data, { email: string; plan: Plan }>>();
  expectType<Equal<typeof event.name, "app/user.created">>();
  const email: string = event.data.email;
  // @ts-expect-error the schema has no such field
  event.data.missing;
  return email;
});

// v3: the trigger as the second argument.
typed.createFunction({ id: "v3" }, { event: "app/user.created" }, ({ event }) => {
  const plan: Plan = event.data.plan;
  // @ts-expect-error email is a string
  const wrong: number = event.data.email;
  return [plan, wrong];
});

// Several triggers: a union narrowed by name.
typed.createFunction({ id: "both", triggers: [{ event: "app/user.created" }, { event: "app/ping" }] }, ({ event }) => {
  if (event.name === "app/ping") return event.data.at;
  // @ts-expect-error `at` belongs to app/ping only
  return [event.data.email, event.data.at];
});

// onFailure sees the failed run's event inside inngest/function.failed.
typed.createFunction(
  {
    id: "fails",
    triggers: [{ event: "app/user.created" }],
    onFailure: ({ event, error }) => {
      const email: string = event.data.event.data.email;
      const id: string = event.data.function_id;
      return [email, id, error.message];
    },
  },
  () => null,
);

// send() is typed by the schemas.
void typed.send({ name: "app/user.created", data: { email: "a@b.c", plan: "pro" } });
void typed.send([
  { name: "app/ping", data: { at: 1 } },
  { name: "app/user.created", data: { email: "a@b.c", plan: "free" }, id: "e1" },
]);
// @ts-expect-error plan is "free" or "pro"
void typed.send({ name: "app/user.created", data: { email: "a@b.c", plan: "gold" } });
// @ts-expect-error a client with schemas sends the events it knows
void typed.send({ name: "app/unknown", data: {} });

// A client without schemas sends anything.
void new Inngest({ id: "loose" }).send({ name: "any/thing", data: { n: 1 } });

// fromZod, as a record and as a list.
const zodTyped = new Inngest({
  id: "zod",
  schemas: new EventSchemas()
    .fromZod({ "shop/order.paid": { data: z.object({ orderId: z.string(), cents: z.number() }) } })
    .fromZod([z.object({ name: z.literal("shop/order.shipped"), data: z.object({ carrier: z.string() }) })]),
});
zodTyped.createFunction(
  { id: "paid", triggers: [{ event: "shop/order.paid" }, { event: "shop/order.shipped" }] },
  ({ event }) => {
    if (event.name === "shop/order.shipped") return event.data.carrier;
    expectType<Equal<typeof event.data, { orderId: string; cents: number }>>();
    const cents: number = event.data.cents;
    // @ts-expect-error orderId is a string
    const orderId: number = event.data.orderId;
    return [cents, orderId];
  },
);

// Middleware-injected context is typed from its transformInput.
const withDatabase = new InngestMiddleware({
  name: "database",
  init() {
    return {
      onFunctionRun() {
        return {
          transformInput() {
            return { ctx: { db: { query: (sql: string): string[] => [sql] } } };
          },
        };
      },
    };
  },
});
const injected = new Inngest({ id: "di", middleware: [withDatabase] });
injected.createFunction({ id: "uses-db", triggers: [{ event: "x" }] }, ({ db }) => {
  expectType<Equal<typeof db, { query: (sql: string) => string[] }>>();
  const rows: string[] = db.query("select 1");
  // @ts-expect-error the injected db has no such method
  db.drop();
  return rows;
});

// v4 eventType: data typed by its schema, in triggers, waitForEvent and create().
const paid = eventType("shop/order.paid", { schema: z.object({ orderId: z.string() }) });
const shipped = eventType("shop/order.shipped", { schema: staticSchema<{ carrier: string }>() });
createFunction({ id: "typed-by-schema", triggers: [paid] }, async ({ event, step }) => {
  expectType<Equal<typeof event.data, { orderId: string }>>();
  const orderId: string = event.data.orderId;
  // @ts-expect-error the schema has no such field
  event.data.nope;
  const shipment = await step.waitForEvent("shipped", { event: shipped, timeout: "1d" });
  const carrier: string | undefined = shipment?.data.carrier;
  return [orderId, carrier];
});
paid.create({ orderId: "o1" });
// @ts-expect-error create() takes the schema's data
paid.create({ orderId: 1 });

// The shorthand, like an untyped client: data is loose.
createFunction({ id: "loose", triggers: [{ event: "any" }] }, ({ event }) => event.data.whatever);
