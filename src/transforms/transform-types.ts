import type { EventDraft } from "../events/accept-events.ts";

/**
 * The contract of a template in transforms/: a module whose default export turns one verified
 * webhook payload into zero, one or several events. Templates are plain code the operator owns,
 * so they may be sync or async; they must not have side effects (they run on every delivery,
 * including redeliveries). A template in Svix's own format (`function handler(webhook)`) is
 * adapted to this contract when it loads (svix-handler.ts).
 */
export interface TransformContext {
  /** The webhook source, the `:source` in /webhooks/:source. */
  source: string;
  /** The svix-id of the delivery: stable across Svix's retries, so a good default event id. */
  webhookId: string;
  /** svix-timestamp, in seconds. */
  webhookTimestamp: number;
}

/** What a template returns per event: the intake's own draft, less the operator-only fields. */
export type TransformedEvent = Omit<EventDraft, "replayOf">;

export type TransformResult = TransformedEvent | TransformedEvent[] | null | undefined;

export type Transform = (payload: unknown, context: TransformContext) => TransformResult | Promise<TransformResult>;
