import type { FunctionEvent } from "../client/index.ts";

/** The HTTP request a destination makes of an event. */
export interface DestinationRequest {
  url: string;
  /** Default "POST". */
  method?: string;
  headers?: Record<string, string>;
  /** A string is sent as it is; anything else as JSON (with `content-type: application/json`). */
  body?: unknown;
}

/** The variables a destination named, set: the required ones always, the optional ones when given. */
export type DestinationEnv<Required extends string, Optional extends string> = Readonly<
  Record<Required, string> & Partial<Record<Optional, string>>
>;

/**
 * A destination: a module in DESTINATIONS_DIR (`destinations/slack.ts`) whose default export says
 * which events it takes and what request each one becomes. It is on only when every variable in
 * `env` is set; the bridge sends each request as a step of its own, retried on its own.
 */
export interface Destination<Required extends string = string, Optional extends string = never> {
  /** Lower-case letters, digits, `-` and `_`: the step is "deliver <name>". Default: the file's name. */
  name?: string;
  /** Variables that must be set for the destination to be on (URLs, tokens). */
  env: readonly Required[];
  /** Variables read when set (a base URL to point at a test server, an API version). */
  optionalEnv?: readonly Optional[];
  /** Event names, exact or with `*` wildcards (`clerk/user.*`), as function triggers take them. */
  events: readonly string[];
  /** A CEL expression over `event`; the destination takes only events for which it is true. */
  if?: string;
  /**
   * The variable (one of `env`) holding a `whsec_` secret: each request is then signed with
   * Standard Webhooks headers (`webhook-id`, `webhook-timestamp`, `webhook-signature`).
   */
  signingSecret?: NoInfer<Required>;
  /** Statuses besides 2xx that mean "delivered" (Intercom answers 409 for a contact it has). */
  accept?: readonly number[];
  /** How long one attempt may wait for the answer: "10s" (the default), "1m", or milliseconds. */
  timeout?: string | number;
  /** The request for this event, or null to skip it. Called again on every retry: keep it pure. */
  request(
    event: FunctionEvent,
    env: DestinationEnv<Required, Optional>,
  ): DestinationRequest | null | Promise<DestinationRequest | null>;
}

/**
 * Types a destination module's default export: the variables it names are typed in `request`'s
 * `env`. Returns the definition unchanged; the loader checks it at start.
 */
export function defineDestination<const Required extends string, const Optional extends string = never>(
  destination: Destination<Required, Optional>,
): Destination<Required, Optional> {
  return destination;
}
