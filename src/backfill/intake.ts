import type { EventDraft } from "../events/accept-events.ts";

/** Where a backfill hands its events: a running bridge's Event API, or Redis directly. */
export interface Intake {
  /** Where the events go, for the summary line (no secret in it). */
  target: string;
  /** Fails at once when the intake cannot be reached, before anything is read from Clerk. */
  check(): Promise<void>;
  /** Resolves once the bridge holds every event (accepted or recognised as a duplicate). */
  send(events: EventDraft[]): Promise<void>;
  close(): Promise<void>;
}
